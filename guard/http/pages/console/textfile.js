// A text file the browser reads (a script on /review, a call log on the what-if page) in its own encoding: UTF-8, or
// GB18030 (GBK) or Big5 as a bank's Windows export writes them, told from its bytes as `guard lint` and the audits tell
// them (guard/services/audits/encoding.py). Read as UTF-8 regardless, such a file becomes replacement characters and
// lints clean. Measured on real text in Chromium: bench/review_encoding.py.

// Characters frequent in Chinese text, simplified and traditional: a file that decodes as both GB18030 and Big5 (Big5
// bytes mostly do) reads as the one that yields many more of them (the other decoding is a salad of rare characters).
const FREQUENT = new Set("的一是不了在人有我他这個个们們中来來上大为為和国國地到以说說时時要就出会會可也你对對生能而子那得于於着著下自之年过過发發后後作里裡用道行所然家种種事成方多经經么麼去法学學如都同现現当當没沒动動面起看定天分还還进進好小部其些主样樣理心本前开開但因只从從想实實日者意无無力与與长長把机機民第公此已工使情明性知全三又关關点點正业業外将將两兩高间間由问問很最重并物手应應向头頭文体體相见見被利什二等产產或新己制身果加月话話合回特代内內信表化给給位次度门門任常先海通教原东東声聲提立及比员員解水名真论論处處走义義各入几幾口认認条條平系气氣题題活更别別打变變四总總何电電数數安少报報才结結反受目太量再感建务務做接必场場件计計管期市直资資命金指许許统統区區保险險组組织織款存息利率收益钱錢万萬元您客户戶银銀行理财財基賠赔".replace(/\s/g, ""));

function frequent(text) { let n = 0; for (const ch of text) if (FREQUENT.has(ch)) n++; return n; }

function strict(bytes, label) {
  try { return new TextDecoder(label, { fatal: true }).decode(bytes); } catch (e) { return null; }
}

/** A file's text and the encoding it was read in: the one chosen, else told from the bytes: a UTF-16 byte-order mark,
 * UTF-8 (its mark dropped), else GB18030 (GBK) or Big5 — of those that decode and read as Chinese, the only one, or the
 * one with at least twice the other's frequent characters (and 3). Null text: not valid in the encoding chosen, or none
 * can be told (the user is asked to choose it or save the file as UTF-8); never a half-read file that would lint clean. */
export function decodeText(bytes, chosen) {
  if (chosen) return { text: strict(bytes, chosen), label: chosen };
  if (bytes[0] === 0xFF && bytes[1] === 0xFE) return { text: strict(bytes, "utf-16le"), label: "utf-16le" };
  if (bytes[0] === 0xFE && bytes[1] === 0xFF) return { text: strict(bytes, "utf-16be"), label: "utf-16be" };
  const utf8 = strict(bytes, "utf-8");
  if (utf8 !== null) return { text: utf8, label: "utf-8" };
  // each decoding that is valid and reads as Chinese: at least a tenth of its non-ASCII characters frequent ones
  // (UTF-16 without a mark, or another encoding, decodes as GB18030 too, into rare characters)
  const [g, b] = ["gb18030", "big5"].map((label) => {
    const text = strict(bytes, label);
    if (text === null) return 0;
    let wide = 0;
    for (const ch of text) if (ch.codePointAt(0) > 0x7F) wide++;
    const n = frequent(text);
    return n >= 1 && n >= 0.1 * wide ? n : 0;
  });
  if (g && g >= 2 * b && (g >= 3 || !b)) return { text: strict(bytes, "gb18030"), label: "gb18030" };
  if (b && b >= 2 * g && (b >= 3 || !g)) return { text: strict(bytes, "big5"), label: "big5" };
  return { text: null, label: null };
}
