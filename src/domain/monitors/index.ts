export { latinDigits } from './digits.js';
export { parseSms, MAX_SMS_LENGTH } from './sms.js';
export type { ParsedReport, PlaceCandidate, SmsCommand, SmsContext, SmsError, SmsErrorCode, SmsParse } from './sms.js';
export { replyText, fitSms, SMS_MAX_GSM, SMS_MAX_UCS2 } from './replies.js';
export type { AgreementNews, FindingWord, ReportState } from './replies.js';
export { scoreLink, reliabilitySummary, LINK_THRESHOLD } from './linking.js';
export type { LinkScore, LinkSubject, ReliabilityOutcome } from './linking.js';
export { LANGS, MONITOR_ZONES, WHAT, WHAT_CODES, REPORT_WORDS } from './vocabulary.js';
export type { Lang, MonitorZone, WhatCode } from './vocabulary.js';
