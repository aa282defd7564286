/*
 * のりしろ search: the Japanese matcher (ES5, no dependencies).
 *
 * No tokeniser: a query term matches where it occurs as a substring, which is
 * what a reader expects of Japanese compounds (協議会 inside 自立支援協議会).
 * The index keeps the stories' original text; all folding happens here, on the
 * query side: each term becomes one RegExp whose character classes accept every
 * form of a character (full/half width, hiragana/katakana/half-width katakana
 * with dakuten, upper/lower case) and whose alternations accept the spelling
 * variants practitioners use (障害/障がい/障碍, 子供/子ども/こども, ...).
 * Match positions are therefore positions in the original text.
 *
 * Used for highlighting and for checking the results on screen: the index
 * (search-query.js) finds them.  Exposes window.NorishiroMatch = {parse, variants}.
 */
(function (root) {
  'use strict';

  // Spelling variants: every spelling of a group matches every other.  The
  // groups are the search thesaurus (norishiro/format/thesaurus.py), written
  // into search.js as NORISHIRO_LEXICON.groups.
  var VARIANTS = root.NORISHIRO_LEXICON.groups;

  // Characters written in more than one form in place and person names.
  var ITAIJI = ['高髙', '崎﨑嵜碕', '辺邊邉', '沢澤', '浜濱', '桜櫻', '竜龍', '桧檜', '島嶋', '徳德', '富冨',
    '国國', '関關', '広廣', '恵惠', '栄榮', '県縣', '会會', '学學'];

  // Kanji numerals and digits: 第二層 finds 第2層, 1か所 finds 一か所.
  var KANJI_DIGITS = '〇一二三四五六七八九';

  var DAKUTEN = '\u3099\u309B\uFF9E';
  var HANDAKUTEN = '\u309A\u309C\uFF9F';
  // Half-width katakana U+FF66..U+FF9D in order, as full-width katakana.
  var HALF_KANA = 'ヲァィゥェォャュョッーアイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン';
  var HALF_PUNCT = {'\uFF61': '。', '\uFF62': '「', '\uFF63': '」', '\uFF64': '、', '\uFF65': '・'};
  var DASHES = '-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uFF0D';
  var TILDES = '~\u301C\uFF5E';
  var LONG_VOWEL = '\u30FC\uFF70';
  var MIDDLE_DOT = '\u30FB\uFF65';
  // Punctuation that may surround a term without being part of it.
  var EDGE = /^[\s"'`()\[\]{}<>「」『』【】〔〕〈〉《》（）［］｛｝＜＞“”‘’、。,.!?！？：:；;・･…]+|[\s"'`()\[\]{}<>「」『』【】〔〕〈〉《》（）［］｛｝＜＞“”‘’、。,.!?！？：:；;・･…]+$/g;

  var itaijiOf = {};
  var i, j;
  for (i = 0; i < ITAIJI.length; i++) {
    for (j = 0; j < ITAIJI[i].length; j++) itaijiOf[ITAIJI[i].charAt(j)] = ITAIJI[i];
  }
  var halfOf = {};  // full-width katakana -> half-width form
  for (i = 0; i < HALF_KANA.length; i++) halfOf[HALF_KANA.charAt(i)] = String.fromCharCode(0xFF66 + i);

  function code(c) { return c.charCodeAt(0); }
  function isHira(c) { var n = code(c); return n >= 0x3041 && n <= 0x3096; }
  function isKata(c) { var n = code(c); return n >= 0x30A1 && n <= 0x30F6; }
  function toKata(c) { return String.fromCharCode(code(c) + 0x60); }
  function toHira(c) { return String.fromCharCode(code(c) - 0x60); }

  // Voiced/semi-voiced kana -> base kana (both scripts), e.g. が -> か, ぱ -> は.
  function unvoiced(c, mark) {
    var n = code(c);
    var base = String.fromCharCode(n - mark);
    if (mark === 1 && (n === 0x3094 || n === 0x30F4)) return n === 0x3094 ? 'う' : 'ウ';
    return base;
  }
  function isVoiced(c) {
    if (c === 'ゔ' || c === 'ヴ') return true;
    var h = isKata(c) ? toHira(c) : c;
    return 'がぎぐげござじずぜぞだぢづでどばびぶべぼ'.indexOf(h) >= 0;
  }
  function isSemiVoiced(c) {
    var h = isKata(c) ? toHira(c) : c;
    return 'ぱぴぷぺぽ'.indexOf(h) >= 0;
  }
  function voice(c, mark) {
    // c + dakuten (mark 1) or handakuten (mark 2), or null when it has none.
    if (mark === 1 && (c === 'う' || c === 'ウ')) return c === 'う' ? 'ゔ' : 'ヴ';
    var h = isKata(c) ? toHira(c) : c;
    var voicedSet = mark === 1 ? 'かきくけこさしすせそたちつてとはひふへほ' : 'はひふへほ';
    if (voicedSet.indexOf(h) < 0) return null;
    return String.fromCharCode(code(c) + mark);
  }

  /*
   * Canonical units of a string: full-width ASCII -> ASCII, upper -> lower,
   * half-width katakana -> katakana (with ﾞ/ﾟ composed), katakana -> hiragana,
   * ヵ/ヶ -> か/け.  Each unit remembers whether it was typed as katakana.
   */
  function units(text) {
    var out = [];
    var k, c, n, next, kata, composed;
    for (k = 0; k < text.length; k++) {
      c = text.charAt(k);
      n = code(c);
      kata = false;
      if (n >= 0xD800 && n <= 0xDBFF && k + 1 < text.length) {
        out.push({c: c + text.charAt(k + 1), kata: false});
        k++;
        continue;
      }
      if (n === 0x3000) c = ' ';
      else if (n >= 0xFF01 && n <= 0xFF5E) c = String.fromCharCode(n - 0xFEE0);
      else if (HALF_PUNCT[c]) c = HALF_PUNCT[c];
      else if (n === 0xFF70) { c = 'ー'; kata = true; }
      else if (n >= 0xFF66 && n <= 0xFF9D) { c = HALF_KANA.charAt(n - 0xFF66); }
      if (DASHES.indexOf(c) >= 0) c = '-';
      if (TILDES.indexOf(c) >= 0) c = '~';
      if (c === '\uFF65') c = '・';
      // Compose a following (han)dakuten, written as ﾞ, ゛ or a combining mark.
      next = k + 1 < text.length ? text.charAt(k + 1) : '';
      if (next && (DAKUTEN.indexOf(next) >= 0 || HANDAKUTEN.indexOf(next) >= 0)) {
        composed = voice(c, DAKUTEN.indexOf(next) >= 0 ? 1 : 2);
        if (composed) { c = composed; k++; }
      }
      if (c === 'ヵ' || c === 'ゕ') { c = 'か'; kata = true; }
      else if (c === 'ヶ' || c === 'ゖ') { c = 'け'; kata = true; }
      else if (isKata(c)) { c = toHira(c); kata = true; }
      else if (c === 'ー') kata = true;
      if (c >= 'A' && c <= 'Z') c = c.toLowerCase();
      out.push({c: c, kata: kata});
    }
    return out;
  }

  function canonical(text) {
    var u = units(text), s = '', k;
    for (k = 0; k < u.length; k++) s += u[k].c;
    return s;
  }

  function escapeClass(c) { return /[\\\]\[\^\-]/.test(c) ? '\\' + c : c; }
  function escapeRe(s) { return s.replace(/[.*+?^${}()|[\]\\\/]/g, '\\$&'); }

  function classOf(chars) {
    var k, s = '', seen = {};
    for (k = 0; k < chars.length; k++) {
      if (!seen[chars.charAt(k)]) { seen[chars.charAt(k)] = 1; s += escapeClass(chars.charAt(k)); }
    }
    return chars.length === 1 ? escapeRe(chars) : '[' + s + ']';
  }

  // Every way a kana can be written: hiragana, katakana, half-width katakana,
  // and (for voiced kana) the base kana followed by a separate (han)dakuten.
  function kanaPattern(h) {
    var kata = toKata(h);
    var plain = h + kata;
    if (h === 'か') plain += 'ヵゕ';
    if (h === 'け') plain += 'ヶゖ';
    if (halfOf[kata]) plain += halfOf[kata];
    var base, marks;
    if (isVoiced(h)) { base = unvoiced(h, 1); marks = DAKUTEN; }
    else if (isSemiVoiced(h)) { base = unvoiced(h, 2); marks = HANDAKUTEN; }
    if (!base) return classOf(plain);
    var baseKata = toKata(base);
    var baseForms = base + baseKata + (halfOf[baseKata] || '');
    return '(?:' + classOf(plain) + '|' + classOf(baseForms) + classOf(marks) + ')';
  }

  function charPattern(c) {
    if (c.length > 1) return escapeRe(c);  // surrogate pair
    var n = code(c);
    if (isHira(c)) return kanaPattern(c);
    if (c === 'ー') return classOf(LONG_VOWEL);
    if (c === '・') return classOf(MIDDLE_DOT);
    if (c === '-') return classOf(DASHES);
    if (c === '~') return classOf(TILDES);
    if (c === ' ') return '[ \u3000]';
    if (c >= 'a' && c <= 'z') {
      return classOf(c + c.toUpperCase() + String.fromCharCode(n + 0xFEE0) + String.fromCharCode(n - 32 + 0xFEE0));
    }
    if (c >= '0' && c <= '9') return classOf(c + String.fromCharCode(n + 0xFEE0) + KANJI_DIGITS.charAt(n - 48));
    if (KANJI_DIGITS.indexOf(c) >= 0) return charPattern(String(KANJI_DIGITS.indexOf(c)));
    if (n >= 0x21 && n <= 0x7E) return classOf(c + String.fromCharCode(n + 0xFEE0));
    if (c === '。') return classOf('。\uFF61');
    if (c === '「') return classOf('「\uFF62');
    if (c === '」') return classOf('」\uFF63');
    if (c === '、') return classOf('、\uFF64');
    if (itaijiOf[c]) return classOf(itaijiOf[c]);
    return escapeRe(c);
  }

  function spellingPattern(spelling) {
    var u = units(spelling), s = '', k;
    for (k = 0; k < u.length; k++) s += charPattern(u[k].c);
    return s;
  }

  // Canonical spelling -> pattern of its whole group; longest spelling first.
  var variantOf = {};
  var maxVariant = 0;
  (function () {
    var g, k, key, alts;
    for (g = 0; g < VARIANTS.length; g++) {
      alts = [];
      for (k = 0; k < VARIANTS[g].length; k++) alts.push(VARIANTS[g][k]);
      alts.sort(function (a, b) { return b.length - a.length; });
      var pattern = [];
      for (k = 0; k < alts.length; k++) pattern.push(spellingPattern(alts[k]));
      pattern = '(?:' + pattern.join('|') + ')';
      for (k = 0; k < alts.length; k++) {
        key = canonical(alts[k]);
        variantOf[key] = pattern;
        if (key.length > maxVariant) maxVariant = key.length;
      }
    }
  })();

  function isKanaUnit(u) { return u && u.c.length === 1 && (isHira(u.c) || u.c === 'ー'); }

  // Between two characters of a term, the text may hold a space (a YAML line
  // fold, a writer's spacing) or a middle dot (民生委員・児童委員); between
  // katakana also a long vowel mark (ケアマネジャー finds ケアマネージャー).
  var SEP = '[ \u3000' + MIDDLE_DOT + ']?';
  var SEP_KATA = '[ \u3000' + MIDDLE_DOT + LONG_VOWEL + ']?';

  function isAsciiUnit(u) { return u.c.length === 1 && code(u.c) < 0x80; }
  function isDigitUnit(u) { return !!u && u.c.length === 1 && u.c >= '0' && u.c <= '9'; }

  function separator(prev, next) {
    if (!prev || !next) return '';
    // 8000 finds 8,000 (and 8,000 finds 8000, see termPattern).
    if (isDigitUnit(prev) && isDigitUnit(next)) return '[,\uFF0C]?';
    if (prev.c === 'ー' || prev.c === '・' || next.c === 'ー' || next.c === '・') return '';
    if (isAsciiUnit(prev) && isAsciiUnit(next)) return '';
    return prev.kata && next.kata && isKanaUnit(next) ? SEP_KATA : SEP;
  }

  // RegExp source of one canonical term.
  function termPattern(u) {
    var s = '', k = 0, len, key, m, unit;
    while (k < u.length) {
      key = null;
      for (len = Math.min(maxVariant, u.length - k); len >= 2; len--) {
        key = '';
        for (m = k; m < k + len; m++) key += u[m].c;
        if (variantOf.hasOwnProperty(key)) break;
        key = null;
      }
      if (key) {
        s += variantOf[key];
        k += len;
        s += separator(u[k - 1], u[k]);
        continue;
      }
      unit = u[k];
      // A long vowel or middle dot typed by the reader is optional in the text:
      // コーディネーター finds コーディネータ.
      var optional = unit.c === 'ー' || unit.c === '・' || (unit.c === ',' && isDigitUnit(u[k - 1]) && isDigitUnit(u[k + 1]));
      s += charPattern(unit.c) + (optional ? '?' : '');
      s += separator(unit, u[k + 1]);
      k++;
    }
    return s;
  }

  /*
   * Parse what the reader typed into terms.  Terms are separated by spaces
   * (ASCII or full-width) and must all occur (AND).  Returns a list of
   * {text, source, re, all}: re tests, all (flag g) finds every occurrence.
   */
  function parse(query) {
    var terms = [], seen = {};
    var u = units(query || '');
    var words = [], current = [], k;
    for (k = 0; k <= u.length; k++) {
      if (k === u.length || /\s/.test(u[k].c)) {
        if (current.length) words.push(current);
        current = [];
      } else {
        current.push(u[k]);
      }
    }
    for (k = 0; k < words.length; k++) {
      var text = '', m;
      for (m = 0; m < words[k].length; m++) text += words[k][m].c;
      var trimmed = text.replace(EDGE, '');
      if (!trimmed || /^[ー・~\-]+$/.test(trimmed)) continue;
      var start = text.indexOf(trimmed);
      var w = words[k].slice(start, start + trimmed.length);
      var source = termPattern(w);
      if (seen[source]) continue;
      seen[source] = 1;
      terms.push({text: trimmed, source: source, re: new RegExp(source), all: new RegExp(source, 'g')});
    }
    return terms;
  }

  // The words as the reader typed them (for messages), spaces normalised.
  function display(query) {
    return String(query || '').replace(/[\s\u3000]+/g, ' ').replace(/^ | $/g, '');
  }

  root.NorishiroMatch = {parse: parse, display: display, canonical: canonical, variants: VARIANTS};
})(window);
