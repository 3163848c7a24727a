// A text file the browser reads (a script on /review, a call log on the what-if page) in its own encoding: UTF-8, or
// GB18030 (GBK) or Big5 as a bank's Windows export writes them, told from its bytes as `guard lint` and the audits tell
// them (guard/services/audits/encoding.py). Read as UTF-8 regardless, such a file becomes replacement characters and
// lints clean. Measured on real text in Chromium: bench/review_encoding.py.

import { FREQUENT, FULL_WIDTH, ODD, PUNCTUATION } from "./chinese.js";

// The characters that count as Chinese text are the guard's (chinese.js, generated from guard/services/audits/encoding.py):
// frequent characters and the commonest surnames, simplified and traditional, Chinese punctuation and full-width forms
// (１３９…, as an input method types them); a wrong reading (Big5 bytes read as GB18030, or the reverse) is full of ODD
// ones instead (private use, bopomofo, kana, rare ideographs …).
const GOOD = new Set([...FREQUENT, ...PUNCTUATION]);

function isOdd(code) { return ODD.some(([lo, hi]) => lo <= code && code <= hi); }

/** [non-ASCII characters, good minus three times odd ones, odd ones] of a decoding, counted as the guard counts them. */
function counts(text) {
  let wide = 0, good = 0, odd = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0);
    if (code <= 0x7F) continue;
    wide++;
    if (isOdd(code)) odd++;
    else if (GOOD.has(ch) || (FULL_WIDTH[0] <= code && code <= FULL_WIDTH[1])) good++;
  }
  return [wide, good - 3 * odd, odd];
}

function strict(bytes, label) {
  try { return new TextDecoder(label, { fatal: true }).decode(bytes); } catch (e) { return null; }
}

/** A file's text and the encoding it was read in: the one chosen, else told from the bytes: a UTF-16 byte-order mark,
 * UTF-8 (its mark dropped), else GB18030 (GBK) or Big5 — of those that decode and read as Chinese, the only one, or the
 * one scoring at least twice the other (and 3): Chinese text counted, three times the odd characters taken off. Null text: not valid in the encoding chosen, or none
 * can be told (the user is asked to choose it or save the file as UTF-8); never a half-read file that would lint clean. */
export function decodeText(bytes, chosen) {
  if (chosen) return { text: strict(bytes, chosen), label: chosen };
  if (bytes[0] === 0xFF && bytes[1] === 0xFE) return { text: strict(bytes, "utf-16le"), label: "utf-16le" };
  if (bytes[0] === 0xFE && bytes[1] === 0xFF) return { text: strict(bytes, "utf-16be"), label: "utf-16be" };
  const utf8 = strict(bytes, "utf-8");
  if (utf8 !== null) return { text: utf8, label: "utf-8" };
  // each decoding that is valid and reads as Chinese, as the guard's check has it: a tenth of its non-ASCII characters
  // or more count as Chinese text, a quarter or less are odd (UTF-16 without a mark, or another encoding, decodes as
  // GB18030 too, into rare characters)
  const [g, b] = ["gb18030", "big5"].map((label) => {
    const text = strict(bytes, label);
    if (text === null) return 0;
    const [wide, score, odd] = counts(text);
    return score >= 1 && score + 3 * odd >= 0.1 * wide && odd <= 0.25 * wide ? score : 0;
  });
  if (g && g >= 2 * b && (g >= 3 || !b)) return { text: strict(bytes, "gb18030"), label: "gb18030" };
  if (b && b >= 2 * g && (b >= 3 || !g)) return { text: strict(bytes, "big5"), label: "big5" };
  return { text: null, label: null };
}
