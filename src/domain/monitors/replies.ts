import type { SmsErrorCode } from './sms.js';
import type { Lang } from './vocabulary.js';

/**
 * Reply texts in the monitor's language. An SMS reply must fit in three concatenated segments:
 * 459 characters in GSM-7, 201 in UCS-2 (any Arabic-script character forces UCS-2).
 */
export const SMS_MAX_GSM = 459;
export const SMS_MAX_UCS2 = 201;

export function fitSms(text: string): string {
  // GSM-7's basic set is close enough to printable ASCII for our own texts.
  const gsm = /^[\x20-\x7E\n]*$/.test(text);
  const max = gsm ? SMS_MAX_GSM : SMS_MAX_UCS2;
  if (text.length <= max) return text;
  // The ellipsis must not itself force UCS-2 on a GSM text.
  return gsm ? text.slice(0, max - 3) + '...' : text.slice(0, max - 1) + '…';
}

export type ReportState = 'received' | 'linked' | 'confirmed' | 'published' | 'superseded';
export type FindingWord = 'substantiated' | 'not_substantiated' | 'inconclusive' | 'could_not_be_attributed';
/** An agreement's change as monitors hear it: extended (until a time, or open-ended) or ended. */
export type AgreementNews = { readonly type: 'extension'; readonly until: string | null } | { readonly type: 'termination'; readonly at: string };

const FINDING_WORDS: Record<Lang, Record<FindingWord, string>> = {
  en: { substantiated: 'substantiated', not_substantiated: 'not substantiated', inconclusive: 'inconclusive', could_not_be_attributed: 'could not be attributed' },
  ps: { substantiated: 'ثابت شو', not_substantiated: 'ثابت نه شو', inconclusive: 'نامعلومه پایله', could_not_be_attributed: 'مسؤول یې معلوم نه شو' },
  fa: { substantiated: 'ثابت شد', not_substantiated: 'ثابت نشد', inconclusive: 'بی‌نتیجه', could_not_be_attributed: 'مسئول آن مشخص نشد' },
  ur: { substantiated: 'ثابت ہو گیا', not_substantiated: 'ثابت نہیں ہوا', inconclusive: 'غیر حتمی', could_not_be_attributed: 'ذمہ دار کا تعین نہیں ہو سکا' },
};

const NEWS: Record<Lang, { finding: (place: string, outcome: string) => string; extended: (id: string, until: string | null) => string; ended: (id: string, at: string) => string }> = {
  en: {
    finding: (place, o) => `Mizan: the mediators' finding on the incident at ${place}: ${o}.`,
    extended: (id, until) => `Mizan: the ceasefire ${id} was extended${until ? ` until ${until}` : ''}.`,
    ended: (id, at) => `Mizan: the ceasefire ${id} ended on ${at}.`,
  },
  ps: {
    finding: (place, o) => `میزان: په ${place} کې د پېښې په اړه د منځګړو پرېکړه: ${o}.`,
    extended: (id, until) => `میزان: اوربند ${id} وغځول شو${until ? ` تر ${until} پورې` : ''}.`,
    ended: (id, at) => `میزان: اوربند ${id} په ${at} پای ته ورسېد.`,
  },
  fa: {
    finding: (place, o) => `میزان: یافته میانجی‌ها درباره رویداد ${place}: ${o}.`,
    extended: (id, until) => `میزان: آتش‌بس ${id} تمدید شد${until ? ` تا ${until}` : ''}.`,
    ended: (id, at) => `میزان: آتش‌بس ${id} در ${at} پایان یافت.`,
  },
  ur: {
    finding: (place, o) => `میزان: ${place} کے واقعے پر ثالثوں کا فیصلہ: ${o}۔`,
    extended: (id, until) => `میزان: جنگ بندی ${id} میں توسیع ہو گئی${until ? ` ${until} تک` : ''}۔`,
    ended: (id, at) => `میزان: جنگ بندی ${id} ${at} کو ختم ہو گئی۔`,
  },
};

/** An instant as monitors read it in an SMS: `YYYY-MM-DD HH:MM UTC`. */
function smsTime(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

const EXAMPLE = 'R Barmal 17/10 20:30 AIR K10 W12 CIV';

type Explained = Exclude<SmsErrorCode, 'BAD_ZONE' | 'BAD_RECEIVED'>;

// What was wrong, said in the monitor's language. English replies carry the parser's own detailed
// hint instead. BAD_ZONE and BAD_RECEIVED are faults of the server or gateway, not of the message.
const WHAT_WRONG: Record<Exclude<Lang, 'en'>, Record<Explained, string> & { system: string }> = {
  ps: {
    EMPTY: 'پیغام تش دی',
    TOO_LONG: 'پیغام ډېر اوږد دی',
    UNKNOWN_COMMAND: 'پیغام باید په R، STATUS، CORR یا STOP پیل شي',
    MISSING_PLACE: 'ځای نه دی لیکل شوی',
    MISSING_WHEN: 'نېټه نشته: نن، پرون یا ورځ/میاشت',
    BAD_DATE: 'نېټه سمه نه ده (ورځ/میاشت)',
    BAD_TIME: 'وخت سم نه دی (ساعت:دقیقه)',
    FUTURE_DATE: 'نېټه په راتلونکي کې ده',
    MISSING_WHAT: 'د پېښې ډول نه دی لیکل شوی: AIR، SHELL، CLASH …',
    BAD_WHAT: 'د پېښې کوډ نه پېژندل کېږي: AIR، SHELL، CLASH …',
    BAD_NUMBER: 'شمېر سم نه دی (تر شپږو عددونو)',
    MISSING_ACTOR: 'له BY وروسته نوم ولیکئ',
    UNCLOSED_QUOTE: 'له BY وروسته نوم په " پیل شوی خو نه دی تړل شوی',
    system: 'د سیسټم ستونزه؛ بیا هڅه وکړئ',
  },
  fa: {
    EMPTY: 'پیام خالی است',
    TOO_LONG: 'پیام بسیار طولانی است',
    UNKNOWN_COMMAND: 'پیام باید با R، STATUS، CORR یا STOP شروع شود',
    MISSING_PLACE: 'جای رویداد نوشته نشده',
    MISSING_WHEN: 'تاریخ نیست: امروز، دیروز یا روز/ماه',
    BAD_DATE: 'تاریخ درست نیست (روز/ماه)',
    BAD_TIME: 'ساعت درست نیست (ساعت:دقیقه)',
    FUTURE_DATE: 'تاریخ در آینده است',
    MISSING_WHAT: 'نوع رویداد نوشته نشده: AIR، SHELL، CLASH …',
    BAD_WHAT: 'کد رویداد شناخته نشد: AIR، SHELL، CLASH …',
    BAD_NUMBER: 'عدد درست نیست (حداکثر شش رقم)',
    MISSING_ACTOR: 'پس از BY نام را بنویسید',
    UNCLOSED_QUOTE: 'نامِ پس از BY با " باز شده ولی بسته نشده است',
    system: 'مشکل سیستم؛ دوباره کوشش کنید',
  },
  ur: {
    EMPTY: 'پیغام خالی ہے',
    TOO_LONG: 'پیغام بہت لمبا ہے',
    UNKNOWN_COMMAND: 'پیغام R، STATUS، CORR یا STOP سے شروع ہونا چاہیے',
    MISSING_PLACE: 'جگہ کا نام نہیں لکھا',
    MISSING_WHEN: 'تاریخ نہیں: آج، کل یا دن/مہینہ',
    BAD_DATE: 'تاریخ درست نہیں (دن/مہینہ)',
    BAD_TIME: 'وقت درست نہیں (گھنٹہ:منٹ)',
    FUTURE_DATE: 'تاریخ مستقبل کی ہے',
    MISSING_WHAT: 'واقعے کی قسم نہیں لکھی: AIR، SHELL، CLASH …',
    BAD_WHAT: 'واقعے کا کوڈ نامعلوم ہے: AIR، SHELL، CLASH …',
    BAD_NUMBER: 'عدد درست نہیں (زیادہ سے زیادہ چھ ہندسے)',
    MISSING_ACTOR: 'BY کے بعد نام لکھیں',
    UNCLOSED_QUOTE: 'BY کے بعد نام " سے شروع ہوا مگر بند نہیں ہوا',
    system: 'نظام کا مسئلہ؛ دوبارہ کوشش کریں',
  },
};

export function explainError(lang: Exclude<Lang, 'en'>, code: SmsErrorCode): string {
  const table = WHAT_WRONG[lang];
  return code === 'BAD_ZONE' || code === 'BAD_RECEIVED' ? table.system : table[code];
}

const T: Record<Lang, {
  receipt: (n: number) => string;
  correction: (n: number, of: number) => string;
  error: (code: SmsErrorCode, hint: string) => string;
  status: (n: number, state: ReportState, decision: string | null) => string;
  unknownReport: (n: number) => string;
  stop: string;
  states: Record<ReportState, string>;
}> = {
  en: {
    receipt: (n) => `Mizan: report ${n} received. Send STATUS ${n} to follow it.`,
    correction: (n, of) => `Mizan: correction ${n} to report ${of} received.`,
    error: (code, hint) => `Mizan: message not understood (${code}): ${hint}. Example: ${EXAMPLE}`,
    status: (n, s, dec) => `Mizan: report ${n}: ${T.en.states[s]}.${dec ? ' ' + dec : ''}`,
    unknownReport: (n) => `Mizan: you have no report ${n}.`,
    stop: 'Mizan: you will get no more messages from us.',
    states: { received: 'received, under review', linked: 'linked to an incident, awaiting confirmation', confirmed: 'confirmed as part of an incident', published: 'published by the mediator', superseded: 'replaced by your correction' },
  },
  ps: {
    receipt: (n) => `میزان: ستاسو راپور ${n} ترلاسه شو. د تعقیب لپاره STATUS ${n} ولېږئ.`,
    correction: (n, of) => `میزان: د راپور ${of} سمون ${n} ترلاسه شو.`,
    error: (code) => `میزان: پیغام ونه لوستل شو (${code}): ${explainError('ps', code)}. بېلګه: ${EXAMPLE}`,
    status: (n, s, dec) => `میزان: راپور ${n}: ${T.ps.states[s]}.${dec ? ' ' + dec : ''}`,
    unknownReport: (n) => `میزان: ستاسو راپور ${n} نشته.`,
    stop: 'میزان: تاسو ته به نور پیغامونه نه لېږل کېږي.',
    states: { received: 'ترلاسه شوی، تر کتنې لاندې', linked: 'له یوې پېښې سره تړل شوی', confirmed: 'تایید شوی', published: 'د منځګړي له خوا خپور شوی', superseded: 'ستاسو په سمون بدل شوی' },
  },
  fa: {
    receipt: (n) => `میزان: گزارش ${n} دریافت شد. برای پیگیری STATUS ${n} بفرستید.`,
    correction: (n, of) => `میزان: اصلاحیه ${n} برای گزارش ${of} دریافت شد.`,
    error: (code) => `میزان: پیام خوانده نشد (${code}): ${explainError('fa', code)}. نمونه: ${EXAMPLE}`,
    status: (n, s, dec) => `میزان: گزارش ${n}: ${T.fa.states[s]}.${dec ? ' ' + dec : ''}`,
    unknownReport: (n) => `میزان: گزارش ${n} از شما وجود ندارد.`,
    stop: 'میزان: دیگر پیامی برای شما فرستاده نمی‌شود.',
    states: { received: 'دریافت شده، در حال بررسی', linked: 'به یک رویداد پیوند خورده', confirmed: 'تأیید شده', published: 'از سوی میانجی منتشر شده', superseded: 'با اصلاحیه شما جایگزین شده' },
  },
  ur: {
    receipt: (n) => `میزان: آپ کی رپورٹ ${n} موصول ہو گئی۔ معلومات کے لیے STATUS ${n} بھیجیں۔`,
    correction: (n, of) => `میزان: رپورٹ ${of} کی درستی ${n} موصول ہو گئی۔`,
    error: (code) => `میزان: پیغام سمجھ نہیں آیا (${code}): ${explainError('ur', code)}۔ مثال: ${EXAMPLE}`,
    status: (n, s, dec) => `میزان: رپورٹ ${n}: ${T.ur.states[s]}۔${dec ? ' ' + dec : ''}`,
    unknownReport: (n) => `میزان: آپ کی کوئی رپورٹ ${n} نہیں ہے۔`,
    stop: 'میزان: آپ کو مزید پیغامات نہیں بھیجے جائیں گے۔',
    states: { received: 'موصول، زیر غور', linked: 'ایک واقعے سے منسلک', confirmed: 'تصدیق شدہ', published: 'ثالث نے شائع کر دی', superseded: 'آپ کی درستی سے تبدیل' },
  },
};

export const replyText = {
  receipt: (lang: Lang, n: number) => fitSms(T[lang].receipt(n)),
  correction: (lang: Lang, n: number, of: number) => fitSms(T[lang].correction(n, of)),
  error: (lang: Lang, code: SmsErrorCode, hint: string) => fitSms(T[lang].error(code, hint)),
  status: (lang: Lang, n: number, state: ReportState, decision: string | null) => fitSms(T[lang].status(n, state, decision)),
  unknownReport: (lang: Lang, n: number) => fitSms(T[lang].unknownReport(n)),
  stop: (lang: Lang) => fitSms(T[lang].stop),
  finding: (lang: Lang, place: string, outcome: FindingWord) => fitSms(NEWS[lang].finding(place, FINDING_WORDS[lang][outcome])),
  agreement: (lang: Lang, agreementId: string, news: AgreementNews) =>
    fitSms(news.type === 'extension' ? NEWS[lang].extended(agreementId, news.until ? smsTime(news.until) : null) : NEWS[lang].ended(agreementId, smsTime(news.at))),
};
