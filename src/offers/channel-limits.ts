/**
 * Channel length rules. SMS (3GPP TS 23.038 / 23.040): a text made only of GSM 03.38 characters is
 * sent in GSM-7 — 160 septets in one segment, 153 per part of a concatenated message, characters of
 * the extension table (`^{}\[~]|€` and form feed) taking two septets and never split across parts;
 * any other character (every Cyrillic letter, ₽, no-break spaces) switches the whole message to
 * UCS-2 — 70 UTF-16 code units in one segment, 67 per part, a surrogate pair never split.
 */

const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENSION = '^{}\\[~]|€\f';
const BASIC = new Set(GSM_BASIC);
const EXTENSION = new Set(GSM_EXTENSION);

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SmsInfo {
  encoding: SmsEncoding;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2). */
  units: number;
  segments: number;
}

/** True when every character of `text` is in the GSM 03.38 basic or extension table. */
export function isGsm7(text: string): boolean {
  for (const ch of text) if (!BASIC.has(ch) && !EXTENSION.has(ch)) return false;
  return true;
}

/**
 * Encoding, length and segment count of an SMS text (an empty text is one segment). One pass, no
 * allocation: parts are packed greedily, so a two-unit character never straddles two parts.
 */
export function smsInfo(text: string): SmsInfo {
  const gsm = isGsm7(text);
  const perPart = gsm ? 153 : 67;
  let units = 0;
  let parts = 1;
  let used = 0;
  for (const ch of text) {
    const cost = gsm ? (EXTENSION.has(ch) ? 2 : 1) : ch.length;
    units += cost;
    if (used + cost > perPart) {
      parts++;
      used = 0;
    }
    used += cost;
  }
  const single = gsm ? 160 : 70;
  return { encoding: gsm ? 'GSM-7' : 'UCS-2', units, segments: units <= single ? 1 : parts };
}

/** Number of Unicode code points (what a reader counts as characters). */
export function codePoints(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff) n++;
  }
  return n;
}

/** Length limits of a channel (from the catalog). Absent limits do not apply. */
export interface ChannelLimits {
  /** SMS: the most segments one message may take. */
  maxSegments?: number;
  titleMax?: number;
  subjectMax?: number;
  bodyMax: number;
}

export interface TextParts {
  text: string;
  title?: string;
  subject?: string;
}

export interface LimitViolation {
  part: 'text' | 'title' | 'subject';
  message: string;
}

/** Every way `parts` exceeds `limits` (empty when the text fits). */
export function limitViolations(parts: TextParts, limits: ChannelLimits, channel: string): LimitViolation[] {
  const out: LimitViolation[] = [];
  const len = codePoints;
  if (len(parts.text) > limits.bodyMax)
    out.push({
      part: 'text',
      message: `${channel}: text has ${len(parts.text)} characters, limit ${limits.bodyMax}`,
    });
  if (limits.maxSegments !== undefined) {
    const sms = smsInfo(parts.text);
    if (sms.segments > limits.maxSegments)
      out.push({
        part: 'text',
        message: `${channel}: ${sms.segments} SMS segments (${sms.encoding}, ${sms.units} units), limit ${limits.maxSegments}`,
      });
  }
  if (parts.title !== undefined && limits.titleMax !== undefined && len(parts.title) > limits.titleMax)
    out.push({
      part: 'title',
      message: `${channel}: title has ${len(parts.title)} characters, limit ${limits.titleMax}`,
    });
  if (
    parts.subject !== undefined &&
    limits.subjectMax !== undefined &&
    len(parts.subject) > limits.subjectMax
  )
    out.push({
      part: 'subject',
      message: `${channel}: subject has ${len(parts.subject)} characters, limit ${limits.subjectMax}`,
    });
  return out;
}
