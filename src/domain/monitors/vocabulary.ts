/** The SMS grammar's words in English, Pashto (ps), Urdu (ur) and Dari/Persian (fa). docs/sms.md lists them. */
export const LANGS = ['en', 'ps', 'ur', 'fa'] as const;
export type Lang = (typeof LANGS)[number];

/** The keyword that starts a report, with the language it signals. */
export const REPORT_WORDS: Readonly<Record<string, Lang>> = {
  r: 'en',
  report: 'en',
  'راپور': 'ps',
  'راپوټ': 'ps',
  'رپوټ': 'ps',
  'گزارش': 'fa',
  'گزارش‌': 'fa',
  'رپورٹ': 'ur',
  'رپورت': 'ur',
};

export const STATUS_WORDS: Readonly<Record<string, Lang>> = { status: 'en', 'حالت': 'ps', 'وضعیت': 'fa', 'اسٹیٹس': 'ur', 'کیفیت': 'ur' };
export const CORR_WORDS: Readonly<Record<string, Lang>> = { corr: 'en', correction: 'en', 'سمون': 'ps', 'اصلاح': 'fa', 'درستی': 'ur' };
export const STOP_WORDS: Readonly<Record<string, Lang>> = { stop: 'en', 'بس': 'ps', 'توقف': 'fa', 'بند': 'ur' };

export const TODAY_WORDS: Readonly<Record<string, Lang>> = { today: 'en', 'نن': 'ps', 'امروز': 'fa', 'آج': 'ur', 'اج': 'ur' };
export const YESTERDAY_WORDS: Readonly<Record<string, Lang>> = { yesterday: 'en', 'پرون': 'ps', 'دیروز': 'fa', 'کل': 'ur' };

/** `<what>` codes and their ACLED event type / sub-event type (ACLED Codebook 2023). */
export const WHAT = {
  AIR: ['Explosions/Remote violence', 'Air/drone strike'],
  SHELL: ['Explosions/Remote violence', 'Shelling/artillery/missile attack'],
  CLASH: ['Battles', 'Armed clash'],
  BOMB: ['Explosions/Remote violence', 'Remote explosive/landmine/IED'],
  SUICIDE: ['Explosions/Remote violence', 'Suicide bomb'],
  ATTACK: ['Violence against civilians', 'Attack'],
  KIDNAP: ['Violence against civilians', 'Abduction/forced disappearance'],
  // A raid that meets armed resistance is a clash in ACLED's terms; analysts may reclassify.
  RAID: ['Battles', 'Armed clash'],
  CROSSING: ['Strategic developments', 'Other'],
  PEACE: ['Strategic developments', 'Agreement'],
  OTHER: ['Strategic developments', 'Other'],
} as const satisfies Record<string, readonly [string, string]>;
export type WhatCode = keyof typeof WHAT;
export const WHAT_CODES = Object.keys(WHAT) as WhatCode[];

/** Zones the monitors' phones report in. */
export const MONITOR_ZONES = ['Asia/Kabul', 'Asia/Karachi'] as const;
export type MonitorZone = (typeof MONITOR_ZONES)[number];
