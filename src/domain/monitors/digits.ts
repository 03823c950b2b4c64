/**
 * Digits as phones send them: Latin 0–9, Arabic-Indic ٠–٩ (U+0660…) and Extended
 * Arabic-Indic / Persian ۰–۹ (U+06F0…). Everything else is left as it is.
 */
export function latinDigits(text: string): string {
  return text.replace(/[\u0660-\u0669\u06F0-\u06F9]/g, (c) => {
    const code = c.charCodeAt(0);
    return String(code >= 0x06f0 ? code - 0x06f0 : code - 0x0660);
  });
}
