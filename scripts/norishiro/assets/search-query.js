/*
 * のりしろ search: the query reader (ES5 syntax; String.prototype.normalize).
 *
 * The same rules as norishiro/search/query.py (fold, normalise, keys,
 * analyse), with the tables it generates (window.NORISHIRO_LEXICON, written
 * before this file into search.js).  tests/fixtures/search/analysis.tsv is run
 * against both.  Exposes window.NorishiroQuery.
 */
(function (root) {
  'use strict';

  var L = root.NORISHIRO_LEXICON;
  var KANJI_DIGITS = '〇一二三四五六七八九';
  var SMALL = {'ぁ': 'あ', 'ぃ': 'い', 'ぅ': 'う', 'ぇ': 'え', 'ぉ': 'お', 'ゕ': 'か', 'ゖ': 'け'};
  var DASH = '[-\u2010\u2011\u2012\u2013\u2014\u2015\u2212]';
  var KATA_DASH = new RegExp('([\u30A1-\u30FA])' + DASH, 'g');
  var E_I = /([えけげせぜてでねへべぺめれ])い/g;
  var PARTICLES = L.particles;

  function isWordCode(n) {
    return (n >= 0x30 && n <= 0x39) || (n >= 0x61 && n <= 0x7A) || (n >= 0x3041 && n <= 0x3096) ||
      (n >= 0x30A1 && n <= 0x30FA) || n === 0x3005 || n === 0x3006 || (n >= 0x3400 && n <= 0x9FFF) ||
      (n >= 0xF900 && n <= 0xFAFF);
  }
  function isKanji(c) {
    var n = c.charCodeAt(0);
    return (n >= 0x3400 && n <= 0x9FFF) || (n >= 0xF900 && n <= 0xFAFF) || c === '々' || c === '〆';
  }

  function nfkc(text) {
    text = String(text || '');
    return (text.normalize ? text.normalize('NFKC') : text).toLowerCase();
  }

  function fold(text) {
    var t = nfkc(text).replace(/([0-9]),(?=[0-9])/g, '$1').replace(KATA_DASH, '$1');
    var out = '', k, n, c;
    for (k = 0; k < t.length; k++) {
      c = t.charAt(k);
      n = t.charCodeAt(k);
      if (n >= 0x30A1 && n <= 0x30F6) c = String.fromCharCode(n - 0x60);
      else if (n === 0x30FB || n === 0x30FC) c = '';
      else if (!isWordCode(n)) c = ' ';
      if (SMALL[c]) c = SMALL[c];
      if (L.itaiji[c]) c = L.itaiji[c];
      if (c && KANJI_DIGITS.indexOf(c) >= 0) c = String(KANJI_DIGITS.indexOf(c));
      out += c;
    }
    return out.replace(E_I, '$1').replace(/ +/g, ' ').replace(/^ | $/g, '');
  }

  var spelling, lengthsByFirst = {};
  for (spelling in L.thesaurus) {
    if (!L.thesaurus.hasOwnProperty(spelling)) continue;
    (lengthsByFirst[spelling.charAt(0)] || (lengthsByFirst[spelling.charAt(0)] = [])).push(spelling.length);
  }
  for (spelling in lengthsByFirst) if (lengthsByFirst.hasOwnProperty(spelling)) lengthsByFirst[spelling].sort(function (a, b) { return b - a; });

  // The length of the longest thesaurus spelling at t[k...], or 0.
  // A letters-only spelling (gh, csw) is a word of its own, never part of one (github).
  var ASCII_WORD = /^[a-z0-9]+$/, ASCII_CHAR = /[a-z0-9]/;
  function spellingAt(t, k) {
    var lengths = lengthsByFirst.hasOwnProperty(t.charAt(k)) ? lengthsByFirst[t.charAt(k)] : null, j, s;
    if (!lengths) return 0;
    for (j = 0; j < lengths.length; j++) {
      if (k + lengths[j] > t.length) continue;
      s = t.substr(k, lengths[j]);
      if (!L.thesaurus.hasOwnProperty(s)) continue;
      if (ASCII_WORD.test(s) && (ASCII_CHAR.test(t.charAt(k - 1)) || ASCII_CHAR.test(t.charAt(k + s.length)))) continue;
      return lengths[j];
    }
    return 0;
  }

  function normalise(text) {
    var t = fold(text), out = '', k = 0, len;
    while (k < t.length) {
      len = spellingAt(t, k);
      if (len) { out += L.thesaurus[t.substr(k, len)]; k += len; } else { out += t.charAt(k); k++; }
    }
    return out;
  }

  function keys(normalised) {
    var out = [], words = normalised.split(' '), w, k, word;
    for (w = 0; w < words.length; w++) {
      word = words[w];
      for (k = 0; k + 1 < word.length; k++) out.push(word.substr(k, 2));
      for (k = 0; k < word.length; k++) if (isKanji(word.charAt(k))) out.push(word.charAt(k));
    }
    return out;
  }

  function termKeys(term) {
    var all = keys(term), out = [], seen = {}, k;
    for (k = 0; k < all.length; k++) {
      if ((term.length === 1 || all[k].length === 2) && !seen[all[k]]) { seen[all[k]] = 1; out.push(all[k]); }
    }
    return out;
  }

  // ---- words ---------------------------------------------------------------

  var protectedWords = {}, maxProtected = 0;
  (function () {
    for (var k = 0; k < L['protected'].length; k++) {
      protectedWords[L['protected'][k]] = 1;
      if (L['protected'][k].length > maxProtected) maxProtected = L['protected'][k].length;
    }
  })();

  function kana(text) {
    return text.replace(/[\u30A1-\u30F6]/g, function (c) { return String.fromCharCode(c.charCodeAt(0) - 0x60); });
  }
  function charClass(c) {
    var n = c.charCodeAt(0);
    if (n >= 0x3041 && n <= 0x3096) return 'h';
    if (c === 'ー' || c === '・' || isWordCode(n)) return 'c';
    return ' ';
  }

  function runs(text) {
    var k = 0, len, out = [], kind, folded = kana(text), last;
    while (k < text.length) {
      for (len = Math.min(maxProtected, text.length - k); len >= 2; len--) {
        if (protectedWords.hasOwnProperty(folded.substr(k, len))) break;
      }
      if (len >= 2) { out.push(['p', text.substr(k, len)]); k += len; continue; }
      kind = charClass(text.charAt(k));
      last = out.length ? out[out.length - 1] : null;
      if (text.charAt(k) === 'ー' && last && last[0] === 'h') kind = 'h';
      if (kind !== ' ' && last && last[0] === kind) last[1] += text.charAt(k);
      else out.push([kind, text.charAt(k)]);
      k++;
    }
    return out;
  }

  function stripEnding(word) {
    for (var k = 0; k < L.endings.length; k++) {
      var e = L.endings[k];
      if (word.length - e.length >= 2 && word.slice(word.length - e.length) === e) return word.slice(0, word.length - e.length);
    }
    return word;
  }

  function hiraganaWord(run, afterWord) {
    if (afterWord) {
      if (PARTICLES.indexOf(run.charAt(0)) < 0) return null;
      run = run.slice(1);
    }
    while (run && PARTICLES.indexOf(run.charAt(run.length - 1)) >= 0 && run.length > 2) run = run.slice(0, -1);
    run = stripEnding(run);
    if (run.length < (afterWord ? 3 : 2) || L.stopwords.indexOf(run) >= 0) return null;
    return run;
  }

  function splitWords(text) {
    var r = runs(text), words = [], current = '', k, kind, value, follows, next, word;
    for (k = 0; k < r.length; k++) {
      kind = r[k][0];
      value = r[k][1];
      if (kind === 'c' || kind === 'p') { current += value; continue; }
      if (kind === ' ') { if (current) words.push(current); current = ''; continue; }
      follows = !!current;
      next = k + 1 < r.length ? r[k + 1][0] : ' ';
      if (follows && value.length === 1 && PARTICLES.indexOf(value) < 0 && (next === 'c' || next === 'p')) {
        current += value;
        continue;
      }
      if (!follows && PARTICLES.indexOf(value.charAt(value.length - 1)) < 0 && (next === 'c' || next === 'p')) {
        current = value;  // kana at the head of a compound: ごちゃまぜ市
        continue;
      }
      if (follows && current.length === 1 && isKanji(current) && PARTICLES.indexOf(value.charAt(0)) < 0) current += value.charAt(0);
      if (current) words.push(current);
      current = '';
      word = hiraganaWord(value, follows);
      if (word) words.push(word);
    }
    if (current) words.push(current);
    return words;
  }

  // ---- dates -----------------------------------------------------------------

  var ERA_NAMES = [];
  for (var era in L.eras) if (L.eras.hasOwnProperty(era)) ERA_NAMES.push(era);
  var DATE_RE = new RegExp('(^|[^a-z])((?:(?:' + ERA_NAMES.join('|') + '|r|h|s)\\s*(?:[0-9]{1,2}|元)|[0-9]{4})\\s*年\\s*(?:度|[0-9]{1,2}\\s*月)?)', 'g');
  var DATE_PARTS = new RegExp('^(' + ERA_NAMES.join('|') + '|r|h|s)?\\s*([0-9]{1,4}|元)\\s*年\\s*(度)?(?:([0-9]{1,2})\\s*月)?$');
  var INITIALS = {r: '令和', h: '平成', s: '昭和'};

  function pad(n) { return (n < 10 ? '0' : '') + n; }
  function dayNumber(y, m, d) { return y * 10000 + m * 100 + d; }
  function lastDay(y, m) { return new Date(y, m, 0).getDate(); }

  // {key, label} of a date as typed, or null (the rules of format/dates.py).
  function readDate(text) {
    var m = DATE_PARTS.exec(text), eraName, info, number, year, month, start, end, label, western;
    if (!m) return null;
    eraName = m[1] ? (INITIALS[m[1]] || m[1]) : null;
    if (eraName) {
      info = L.eras[eraName];
      number = m[2] === '元' ? 1 : +m[2];
      if (m[2].length > 2 || number < 1 || (info[1] !== null && number > info[1])) return null;
      year = info[0] + number - 1;
    } else {
      if (m[2].length !== 4) return null;
      year = +m[2];
      if (year < 1900 || year > 2100) return null;
    }
    month = m[4] ? +m[4] : null;
    if (month !== null && (month < 1 || month > 12)) return null;
    if (m[3]) {
      western = year + '年度';
      label = eraName ? eraName + (number === 1 ? '元' : number) + '年度（' + western + '）' : western;
      return {key: '@f' + year, label: label};
    }
    start = month ? dayNumber(year, month, 1) : dayNumber(year, 1, 1);
    end = month ? dayNumber(year, month, lastDay(year, month)) : dayNumber(year, 12, 31);
    if (eraName && (end < info[2] || (info[3] !== null && start > info[3]))) return null;
    western = year + '年' + (month ? month + '月' : '');
    label = eraName ? eraName + (number === 1 ? '元' : number) + '年' + (month ? month + '月' : '') + '（' + western + '）' : western;
    return {key: month ? '@m' + year + pad(month) : '@y' + year, label: label};
  }

  // ---- facet words -----------------------------------------------------------

  var JUSOU_OBJECT = '重層(?:的支援体制整備事業|的支援|事業)?\\s*(?:を|の|は)?\\s*';
  var JUSOU_RES = [
    ['not_using', JUSOU_OBJECT + '(?:未実施|実施していない|実施してない|活用していない|使っていない|やっていない|なし)'],
    ['preparing', '(?:' + JUSOU_OBJECT + ')?移行準備(?:事業)?中?|' + JUSOU_OBJECT + '準備中'],
    ['using', JUSOU_OBJECT + '(?:実施|活用)(?:している|中|済み|済)?']
  ];
  var POPULATION = '(人口\\s*)?([0-9]+(?:\\.[0-9]+)?)\\s*(万)?\\s*人?\\s*(以上|超え|超|より多い|未満|以下|より少ない|まで)';
  var STARTED = '(?:が|から|の)?(?:始めた|はじめた|始まった|はじまった|始めている|立ち上げた|始めの|主導の|主導した|発の)';
  var USED = '(?:を|で)?(?:使った|使っている|使う|活用した|活用している|活かした|生かした|通じた|通して|通した)';
  var REACH = '(?:の(?:人|方|家族|世帯|子ども|子|若者))?(?:に|へ)(?:まだ)?(?:届いている|届いた|届く|届いていない|届かない|届けている|届けた)';
  var MORE = ['以上', '超え', '超', 'より多い'];

  function populationBands(number, relation) {
    var out = [], lower = 0, k, upper;
    for (k = 0; k < L.bands.length; k++) {
      upper = L.bands[k][1] === null ? Infinity : L.bands[k][1];
      if (MORE.indexOf(relation) >= 0 ? upper > number : lower < number) out.push(L.bands[k][0]);
      lower = upper;
    }
    return out;
  }

  function addFacet(a, key, values) {
    var current = a.facets[key] || (a.facets[key] = []), k;
    for (k = 0; k < values.length; k++) if (current.indexOf(values[k]) < 0) current.push(values[k]);
  }

  // Folded word naming a field, without a trailing 分野 (query.py _field_key).
  function fieldKey(word) {
    var key = fold(word), k, suffix, stem;
    if (L.fields.hasOwnProperty(key)) return key;
    for (k = 0; k < L.fieldSuffixes.length; k++) {
      suffix = L.fieldSuffixes[k];
      stem = key.slice(0, key.length - suffix.length);
      if (key.length > suffix.length && key.slice(key.length - suffix.length) === suffix && L.fields.hasOwnProperty(stem)) return stem;
    }
    return key;
  }

  // A vocabulary word followed by the facet's verb becomes the facet (query.py _facet_verb).
  function facetVerb(a, text, pattern, key, table) {
    var re, m, head, before, found, changed = true;
    while (changed) {
      changed = false;
      re = new RegExp(pattern, 'g');
      while ((m = re.exec(text)) !== null) {
        head = text.slice(0, m.index);
        before = splitWords(head);
        if (before.length && table.hasOwnProperty(found = fold(before[before.length - 1]))) {
          addFacet(a, key, [table[found]]);
          text = head.slice(0, head.lastIndexOf(before[before.length - 1])) + ' ' + text.slice(m.index + m[0].length);
          changed = true;
          break;
        }
      }
    }
    return text;
  }

  function analyse(query) {
    var a = {words: [], terms: [], facets: {}, dates: [], dateLabels: [], dateTexts: []};
    var text = nfkc(query).replace(/\u3000/g, ' ').replace(KATA_DASH, '$1ー').replace(/([0-9]),(?=[0-9])/g, '$1');
    var k, re, m, head, before, words, key, word, prefix, j;
    for (k = 0; k < JUSOU_RES.length; k++) {
      re = new RegExp(JUSOU_RES[k][1], 'g');
      if (re.test(text)) { addFacet(a, 'jusou', [JUSOU_RES[k][0]]); text = text.replace(re, ' '); }
    }
    text = text.replace(new RegExp(POPULATION, 'g'), function (all, people, number, man, relation) {
      if (!people && !man) return all;
      addFacet(a, 'size', populationBands(parseFloat(number) * (man ? 10000 : 1), relation));
      return ' ';
    });
    re = new RegExp(STARTED, 'g');
    while ((m = re.exec(text)) !== null) {
      head = text.slice(0, m.index);
      before = splitWords(head);
      key = before.length ? fieldKey(before[before.length - 1]) : '';
      if (key && (L.fields.hasOwnProperty(key) || L.programmes.hasOwnProperty(key))) {
        if (L.fields.hasOwnProperty(key)) addFacet(a, 'started', [L.fields[key]]);
        else addFacet(a, 'prog', [L.programmes[key]]);
        text = head.slice(0, head.lastIndexOf(before[before.length - 1])) + ' ' + text.slice(m.index + m[0].length);
        break;
      }
    }
    text = text.replace(new RegExp(STARTED, 'g'), ' ');
    text = facetVerb(a, text, USED, 'prog', L.programmes);
    text = facetVerb(a, text, REACH, 'diff', L.difficulties);
    text = text.replace(DATE_RE, function (all, lead, date) {
      var found = readDate(date.replace(/\s+/g, ''));
      if (!found) return all;
      a.dates.push(found.key);
      a.dateLabels.push(found.label);
      a.dateTexts.push(date.replace(/\s+/g, ''));
      return lead + ' ';
    });
    words = splitWords(text);
    var remaining = [];
    for (k = 0; k < words.length; k++) {
      word = words[k];
      key = fold(word);
      if (L.prefectures.hasOwnProperty(key)) addFacet(a, 'pref', [L.prefectures[key]]);
      else if (L.kinds.hasOwnProperty(word)) addFacet(a, 'kind', L.kinds[word]);
      else if (L.statuses.hasOwnProperty(key)) addFacet(a, 'status', [L.statuses[key]]);
      else {
        prefix = null;
        for (j = 0; j < L.prefectureNames.length; j++) {
          if (key.length > L.prefectureNames[j].length && key.indexOf(L.prefectureNames[j]) === 0) { prefix = L.prefectureNames[j]; break; }
        }
        if (prefix !== null) {
          addFacet(a, 'pref', [L.prefectures[prefix]]);
          word = word.slice(prefix.length);
        }
        remaining.push(word);
      }
    }
    var terms = [], special = false, hasFacet = false, f;
    for (f in a.facets) if (a.facets.hasOwnProperty(f)) hasFacet = true;
    for (k = 0; k < remaining.length; k++) {
      key = normalise(remaining[k]);
      if (!key || !termKeys(key).length) continue;  // a lone digit (the 一 of その一) is in no story's keys
      terms.push([remaining[k], key]);
      if (L.generic.indexOf(key) < 0) special = true;
    }
    var seen = {};
    for (k = 0; k < terms.length; k++) {
      if ((special || hasFacet || a.dates.length) && L.generic.indexOf(terms[k][1]) >= 0) continue;
      if (seen[terms[k][1]]) continue;
      seen[terms[k][1]] = 1;
      a.words.push(terms[k][0]);
      a.terms.push(terms[k][1]);
    }
    return a;
  }

  // ---- where a term is in a text (for highlighting) ---------------------------

  var E_ROW = 'えけげせぜてでねへべぺめれ';

  // fold() one character at a time, remembering where each folded character
  // came from: {s: folded text, from: [], to: []} (positions in `text`).
  function foldIndexed(text) {
    var s = '', from = [], to = [], k, j, c, n, t, prevKata = false, last, start;
    function push(ch, a, b) {
      if (ch === ' ' && (!s.length || s.charAt(s.length - 1) === ' ')) return;
      s += ch; from.push(a); to.push(b);
    }
    for (k = 0; k < text.length; k++) {
      n = text.charCodeAt(k);
      if (n >= 0xD800 && n <= 0xDBFF) { push(' ', k, k + 2); k++; prevKata = false; continue; }
      start = k;
      t = nfkc(text.charAt(k));
      // A (han)dakuten written separately belongs to the kana before it.
      if (k + 1 < text.length && /[\u3099\u309A\uFF9E\uFF9F]/.test(text.charAt(k + 1))) { t = nfkc(text.substr(k, 2)); k++; }
      for (j = 0; j < t.length; j++) {
        c = t.charAt(j);
        n = c.charCodeAt(0);
        if (/[-\u2010-\u2015\u2212]/.test(c) && prevKata) continue;
        if (c === ',' && s.length && /[0-9]/.test(s.charAt(s.length - 1)) && /[0-9０-９]/.test(text.charAt(k + 1))) continue;
        if (n === 0x30FC && s.length && s.charAt(s.length - 1) !== ' ') to[to.length - 1] = k + 1;  // a long vowel goes with its kana
        if (n === 0x30FB || n === 0x30FC) continue;
        prevKata = n >= 0x30A1 && n <= 0x30FA;
        if (n >= 0x30A1 && n <= 0x30F6) c = String.fromCharCode(n - 0x60);
        else if (!isWordCode(n)) c = ' ';
        if (SMALL[c]) c = SMALL[c];
        if (L.itaiji[c]) c = L.itaiji[c];
        if (KANJI_DIGITS.indexOf(c) >= 0) c = String(KANJI_DIGITS.indexOf(c));
        last = s.charAt(s.length - 1);
        if (c === 'い' && last && E_ROW.indexOf(last) >= 0) { to[to.length - 1] = k + 1; continue; }
        push(c, start, k + 1);
      }
    }
    return {s: s, from: from, to: to};
  }

  // normalise() of foldIndexed(text), keeping the positions.
  function normaliseIndexed(text) {
    // inner[i]: s[i] is inside a replaced spelling, not its first character;
    // open[i]: inside one, not its last.  A match must not cut a spelling.
    var f = foldIndexed(text), s = '', from = [], to = [], inner = [], open = [], k = 0, len, head, j;
    while (k < f.s.length) {
      len = spellingAt(f.s, k);
      if (len) {
        head = L.thesaurus[f.s.substr(k, len)];
        for (j = 0; j < head.length; j++) {
          s += head.charAt(j); from.push(f.from[k]); to.push(f.to[k + len - 1]);
          inner.push(j > 0); open.push(j < head.length - 1);
        }
        k += len;
      } else {
        s += f.s.charAt(k); from.push(f.from[k]); to.push(f.to[k]); inner.push(false); open.push(false); k++;
      }
    }
    return {s: s, from: from, to: to, inner: inner, open: open};
  }

  // True when a and b differ by at most one character (changed, missing or extra).
  function withinOne(a, b) {
    var i = 0, la = a.length, lb = b.length;
    if (Math.abs(la - lb) > 1) return false;
    while (i < la && i < lb && a.charAt(i) === b.charAt(i)) i++;
    if (la === lb) return a.slice(i + 1) === b.slice(i + 1);
    return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
  }

  // [start, end) ranges of `text` where the normalised terms occur: as
  // normalised (so every width, kana, notation and thesaurus spelling), or,
  // for a term of four characters or more found nowhere as typed, with one
  // character changed, missing or extra (a slip).
  function locate(text, terms) {
    var n = normaliseIndexed(String(text || '')), out = [], t, term, at, i, len, found;
    for (t = 0; t < terms.length; t++) {
      term = terms[t];
      if (!term) continue;
      found = false;
      at = n.s.indexOf(term);
      while (at >= 0) {
        if (!n.inner[at] && !n.open[at + term.length - 1]) {
          out.push([n.from[at], n.to[at + term.length - 1]]);
          found = true;
        }
        at = n.s.indexOf(term, at + 1);
      }
      if (found || term.length < 4) continue;
      for (i = 0; i < n.s.length; i++) {
        for (len = term.length - 1; len <= term.length + 1; len++) {
          if (i + len > n.s.length || n.s.charAt(i) !== term.charAt(0)) continue;
          if (n.inner[i] || n.open[i + len - 1]) continue;
          if (withinOne(term, n.s.substr(i, len))) { out.push([n.from[i], n.to[i + len - 1]]); i += len - 1; break; }
        }
      }
    }
    return out;
  }

  // A normalised term without a light ending (居場所づくり -> 居場所), or null.
  function stem(term) {
    for (var k = 0; k < L.suffixes.length; k++) {
      var s = L.suffixes[k];
      if (term.length >= s.length + 2 && term.slice(-s.length) === s) return term.slice(0, -s.length);
    }
    return null;
  }

  root.NorishiroQuery = {fold: fold, normalise: normalise, keys: keys, termKeys: termKeys, splitWords: splitWords, analyse: analyse, locate: locate, generic: L.generic, stem: stem};
})(window);
