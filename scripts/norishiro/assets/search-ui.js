/*
 * のりしろ search: the search page (ES5 syntax, no dependencies).
 *
 * Reads ?q= (and facet parameters), reads the query (NorishiroQuery.analyse:
 * facet words become ticked facets, dates become date keys, the rest content
 * words), loads only the key shards those words need and the facet table,
 * ranks by how much of the query a story covers and where, then loads the
 * documents of the results on screen to check, highlight and show them.
 * Every file loads by <script> (file:// has no fetch).  All story text is
 * inserted as text nodes, never as HTML.
 */
(function (window, document) {
  'use strict';

  var PAGE_SIZE = 10;
  var FIRST_BATCH = 4;
  // At most this many stories beyond a page are checked to fill it when
  // stories on it turn out not to have the words (verify).
  var MAX_EXTRA = 30;
  var SNIPPET_BEFORE = 40;
  var SNIPPET_AFTER = 100;
  var SUMMARY_LENGTH = 140;
  var ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_';
  var HASH_MODULUS = 2147483647;
  // Positions in a document (norishiro/search/index.py story_doc).
  var SLUG = 0, TITLE = 1, META = 2, GROUPS = [3, 5, 7];
  var THESAURUS_PAGE = 'search-thesaurus.html';
  // A story with the phrase as typed (keys all present, then the words in a
  // row) outranks any scattering of its words.
  var PHRASE_BONUS = 100;
  // All the words in one item (see together) count as much as a summary match.
  var TOGETHER_BONUS = 8;
  // A phrase typed without spaces up to this length also ranks by its own
  // keys (each a shard to load); a longer one is a sentence, read as words.
  var PHRASE_KEYS_UP_TO = 10;

  var root = document.getElementById('norishiro-search');
  if (!root) return;
  var INDEX = window.NORISHIRO_INDEX;
  var M = window.NorishiroMatch;
  var Q = window.NorishiroQuery;
  var input = document.getElementById('ns-q');
  var form = document.getElementById('ns-form');
  var statusEl = document.getElementById('ns-status');
  var resultsEl = document.getElementById('ns-results');
  var facetsEl = document.getElementById('ns-facets');
  var moreEl = document.getElementById('ns-more');

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.appendChild(document.createTextNode(text));
    return node;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  if (!INDEX || !M || !Q || INDEX.version !== 2) {
    clear(statusEl);
    statusEl.appendChild(el('span', 'ns-error', '検索の索引を読み込めませんでした。ページを再読み込みしてください。'));
    return;
  }

  var facets = INDEX.facets;
  var weights = INDEX.weights;
  var labels = INDEX.labels;
  var N = INDEX.count;
  var state = {
    q: '', analysis: null, terms: [], marks: [], selected: [], auto: [], noAuto: false,
    shown: PAGE_SIZE, extra: 0, lastQ: null, ranked: [], mode: 'all', missing: [], failed: false, generation: 0
  };
  var meta = null, metaLoading = false, shards = {}, shardWaiting = {}, docs = {}, docWaiting = {};
  var waiters = [];
  var i;
  for (i = 0; i < facets.length; i++) state.selected.push({});

  // ---- loading by <script> -------------------------------------------------

  var head = document.getElementsByTagName('head')[0] || document.body;
  function url(path) { return path + '?v=' + INDEX.build; }
  function load(src, done) {
    var script = document.createElement('script');
    script.src = url(src);
    script.async = true;
    script.onload = function () { done(true); };
    script.onerror = function () { done(false); };
    head.appendChild(script);
  }

  window.NORISHIRO_META = function (data) { meta = data; };
  window.NORISHIRO_KEYS = function (n, data) { shards[n] = data; };
  window.NORISHIRO_DOC = function (id, data) { docs[id] = data; };

  // Call back once every listed file is in (or failed).
  function loadAll(list, done) {
    var pending = list.length;
    if (!pending) { done(); return; }
    function one() { pending--; if (!pending) done(); }
    for (var k = 0; k < list.length; k++) list[k](one);
  }
  function needShard(n) {
    return function (done) {
      if (shards[n]) { done(); return; }
      if (shardWaiting[n]) { shardWaiting[n].push(done); return; }
      shardWaiting[n] = [done];
      load(INDEX.paths.keys.replace('{n}', pad(n, 4)), function (ok) {
        if (!ok) { state.failed = true; shards[n] = {}; }
        var w = shardWaiting[n]; shardWaiting[n] = null;
        for (var k = 0; k < w.length; k++) w[k]();
      });
    };
  }
  function needDoc(id) {
    return function (done) {
      if (docs[id]) { done(); return; }
      if (docWaiting[id]) { docWaiting[id].push(done); return; }
      docWaiting[id] = [done];
      load(INDEX.paths.docs.replace('{n}', pad(id, 5)), function (ok) {
        if (!ok) { state.failed = true; docs[id] = null; }
        var w = docWaiting[id]; docWaiting[id] = null;
        for (var k = 0; k < w.length; k++) w[k]();
      });
    };
  }
  var metaWaiting = [];
  function needMeta(done) {
    if (meta) { done(); return; }
    metaWaiting.push(done);
    if (metaLoading) return;
    metaLoading = true;
    load(INDEX.paths.meta, function (ok) {
      if (!ok) { state.failed = true; meta = null; }
      var w = metaWaiting; metaWaiting = [];
      for (var k = 0; k < w.length; k++) w[k]();
    });
  }
  function pad(n, width) { var s = String(n); while (s.length < width) s = '0' + s; return s; }

  function keyHash(key) {
    var h = 0;
    for (var k = 0; k < key.length; k++) h = (h * 31 + key.charCodeAt(k)) % HASH_MODULUS;
    return h;
  }
  function shardOf(key) { return keyHash(key) % INDEX.shards; }

  // Posting list -> calls fn(id, level) in id order.
  function eachPosting(list, fn) {
    var id = -1, value = 0, shift = 0, k, d;
    for (k = 0; k < list.length; k++) {
      d = ALPHABET.indexOf(list.charAt(k));
      value += (d & 31) * Math.pow(2, shift);
      if (d & 32) { shift += 5; continue; }
      id += Math.floor(value / 4) + 1;
      fn(id, value % 4);
      value = 0;
      shift = 0;
    }
  }

  // ---- facet values ----------------------------------------------------------

  function storyValues(f, id) {
    var m = meta[f], out = [], mask = 0, k, w;
    if (m[0] === 's') return [ALPHABET.indexOf(m[1].charAt(id))];
    w = m[1];
    for (k = 0; k < w; k++) mask += ALPHABET.indexOf(m[2].charAt(id * w + k)) * Math.pow(64, k);
    for (k = 0; mask > 0; k++) { if (mask % 2) out.push(k); mask = Math.floor(mask / 2); }
    return out;
  }
  function anySelected(f) {
    for (var v in state.selected[f]) if (state.selected[f].hasOwnProperty(v) && state.selected[f][v]) return true;
    return false;
  }
  function anyFilter() {
    for (var f = 0; f < facets.length; f++) if (anySelected(f)) return true;
    return false;
  }
  function passes(id, except) {
    var f, k, values, ok;
    for (f = 0; f < facets.length; f++) {
      if (f === except || !anySelected(f)) continue;
      values = storyValues(f, id);
      ok = false;
      for (k = 0; k < values.length; k++) if (state.selected[f][values[k]]) { ok = true; break; }
      if (!ok) return false;
    }
    return true;
  }
  function facetIndex(key) {
    for (var f = 0; f < facets.length; f++) if (facets[f].key === key) return f;
    return -1;
  }
  function valueIndex(f, id) {
    for (var v = 0; v < facets[f].values.length; v++) if (facets[f].values[v][0] === id) return v;
    return -1;
  }

  // ---- address -----------------------------------------------------------

  function decode(part) {
    part = part.replace(/\+/g, ' ');
    try { return decodeURIComponent(part); } catch (e) { return part; }
  }

  function readAddress() {
    var pairs = (window.location.search || '').replace(/^\?/, '').split('&');
    var k, eq, key, value, f, v;
    state.q = '';
    state.noAuto = false;
    for (k = 0; k < facets.length; k++) state.selected[k] = {};
    for (k = 0; k < pairs.length; k++) {
      if (!pairs[k]) continue;
      eq = pairs[k].indexOf('=');
      key = decode(eq < 0 ? pairs[k] : pairs[k].slice(0, eq));
      value = eq < 0 ? '' : decode(pairs[k].slice(eq + 1));
      if (key === 'q') { state.q = value; continue; }
      if (key === 'nf') { state.noAuto = true; continue; }
      f = facetIndex(key);
      if (f < 0) continue;
      v = valueIndex(f, value);
      if (v >= 0) state.selected[f][v] = true;
    }
  }

  function address() {
    var parts = ['q=' + encodeURIComponent(state.q)], f, v;
    for (f = 0; f < facets.length; f++) {
      for (v = 0; v < facets[f].values.length; v++) {
        if (state.selected[f][v]) parts.push(facets[f].key + '=' + encodeURIComponent(facets[f].values[v][0]));
      }
    }
    if (state.noAuto) parts.push('nf=1');
    return '?' + parts.join('&');
  }

  function writeAddress() {
    try {
      if (window.history && window.history.replaceState) window.history.replaceState(null, '', address());
    } catch (e) { /* file:// pages may refuse; the search still works */ }
  }

  // ---- reading the query -----------------------------------------------------

  function yearPattern(key) {
    var year = +key.slice(2, 6), kind = key.charAt(1);
    if (kind === 'f') return year + '年度|' + year + '年(?:[4-9]|1[0-2])月|' + (year + 1) + '年[1-3]月';
    if (kind === 'm') return year + '年' + (+key.slice(6)) + '月';
    return year + '年';
  }

  // The content words of a query with no facet reading (words that say
  // nothing about which story is meant dropped when others remain).
  function wordsOnly(query) {
    var text = String(query || '');
    text = (text.normalize ? text.normalize('NFKC') : text).toLowerCase();
    var words = Q.splitWords(text), out = {words: [], terms: [], dates: [], dateLabels: [], dateTexts: [], facets: {}}, kept = [], k, term, generic = Q.generic || [];
    for (k = 0; k < words.length; k++) {
      term = Q.normalise(words[k]);
      if (term) kept.push([words[k], term]);
    }
    var special = false;
    for (k = 0; k < kept.length; k++) if (generic.indexOf(kept[k][1]) < 0) special = true;
    for (k = 0; k < kept.length; k++) {
      if (special && generic.indexOf(kept[k][1]) >= 0) continue;
      if (out.terms.indexOf(kept[k][1]) >= 0) continue;
      out.words.push(kept[k][0]);
      out.terms.push(kept[k][1]);
    }
    return out;
  }

  // A word of the analysis (NFKC, lower case) as the reader typed it: GH, not gh.
  function asTyped(word) {
    var raw = String(state.q), typed = raw.normalize ? raw.normalize('NFKC') : raw;
    var at = typed.toLowerCase().indexOf(word);
    if (at < 0 || typed.toLowerCase().length !== typed.length) return word;
    return typed.length === raw.length ? raw.substr(at, word.length) : typed.substr(at, word.length);
  }

  function readQuery() {
    var a = Q.analyse(state.q), k, f, v, key, list;
    state.analysis = a;
    state.terms = [];
    for (k = 0; k < a.terms.length; k++) {
      state.terms.push({word: a.words[k], label: asTyped(a.words[k]), keys: Q.termKeys(a.terms[k]), date: false});
    }
    // The reader unticked the facets the words gave and nothing is left to
    // search by: the words themselves are searched (休止中の取り組み finds the
    // stories that say 休止中), not an empty page.
    if (state.noAuto && !a.terms.length && !a.dates.length && !anyFilter()) {
      a = wordsOnly(state.q);
      state.analysis = a;
      for (k = 0; k < a.terms.length; k++) {
        state.terms.push({word: a.words[k], label: asTyped(a.words[k]), keys: Q.termKeys(a.terms[k]), date: false});
      }
    }
    for (k = 0; k < a.dates.length; k++) {
      state.terms.push({word: a.dateLabels[k], label: a.dateLabels[k], keys: [a.dates[k]], date: true, pattern: yearPattern(a.dates[k]), typed: a.dateTexts[k]});
    }
    // Regexes for highlighting and checking: each word, and the whole phrase.
    state.marks = a.words.length ? M.parse(a.words.join(' ')) : [];
    for (k = 0; k < state.marks.length; k++) state.marks[k].word = k;
    // A word with a light ending (居場所作り) also finds its noun, as a partial match.
    state.stemMarks = [];
    for (k = 0; k < a.terms.length; k++) {
      var stem = Q.stem(a.terms[k]), parsed;
      if (!stem) continue;
      state.terms[k].stem = stem;
      state.terms[k].stemKeys = Q.termKeys(stem);
      parsed = M.parse(stem);
      if (parsed.length === 1) { parsed[0].word = k; state.stemMarks.push(parsed[0]); }
    }
    var phrase = M.display(state.q);
    state.phrase = null;
    state.phraseKeys = [];
    // A phrase typed without spaces (これも福祉なのか) also ranks by its own
    // keys, so the story that has it as written comes first.
    if (phrase.indexOf(' ') < 0 && phrase.length <= PHRASE_KEYS_UP_TO && Q.normalise(phrase) !== a.terms.join('')) {
      state.phraseKeys = Q.termKeys(Q.normalise(phrase));
    }
    if (a.words.length && phrase.indexOf(' ') < 0) {
      var parsed = M.parse(phrase);
      if (parsed.length === 1) state.phrase = parsed[0];
    }
    for (k = 0; k < state.terms.length; k++) {
      if (state.terms[k].date) {
        var re = state.terms[k].pattern;
        state.marks.push({re: new RegExp(re), all: new RegExp(re, 'g'), word: k, text: state.terms[k].typed});
      }
    }
    state.auto = [];
    if (!state.noAuto) {
      for (key in a.facets) {
        if (!a.facets.hasOwnProperty(key)) continue;
        f = facetIndex(key);
        if (f < 0) continue;
        list = a.facets[key];
        for (k = 0; k < list.length; k++) {
          v = valueIndex(f, list[k]);
          if (v >= 0) { state.selected[f][v] = true; state.auto.push([f, v]); }
        }
      }
    }
  }

  // ---- ranking ---------------------------------------------------------------

  function allowedMisses(n) { return n >= 7 ? 2 : n >= 3 ? 1 : 0; }

  // Stories with the noun of a word with a light ending (居場所 of 居場所作り)
  // but not the word: a near match (verify() checks the noun).  Returns the
  // set of their ids, with their level in `level`.
  function stemOnly(term, count, level, n) {
    var have = {}, out = {}, m = term.stemKeys.length, k, id, lv = {};
    for (k = 0; k < m; k++) {
      eachPosting((shards[shardOf(term.stemKeys[k])] || {})[term.stemKeys[k]] || '', function (sid, l) {
        have[sid] = (have[sid] || 0) + 1;
        if (!(sid in lv) || l > lv[sid]) lv[sid] = l;
      });
    }
    for (id in have) {
      if (!have.hasOwnProperty(id) || have[id] !== m || count[id] >= n - allowedMisses(n)) continue;
      out[id] = 1;
      level[id] = lv[id];
    }
    return out;
  }

  // Rank every story that has at least one term: coverage, then where.
  function rank() {
    var terms = state.terms, t, k, n, count, level, matched, full, rarity;
    var byId = {}, ids = [], id, found, termHits;
    state.missing = [];
    for (t = 0; t < terms.length; t++) {
      n = terms[t].keys.length;
      count = {};
      level = {};
      for (k = 0; k < n; k++) {
        var list = (shards[shardOf(terms[t].keys[k])] || {})[terms[t].keys[k]];
        if (!list) continue;
        eachPosting(list, function (sid, lv) {
          count[sid] = (count[sid] || 0) + 1;
          if (!(sid in level) || lv > level[sid]) level[sid] = lv;
        });
      }
      var stemmed = terms[t].stemKeys ? stemOnly(terms[t], count, level, n) : {};
      for (id in stemmed) if (stemmed.hasOwnProperty(id)) count[id] = -1;
      termHits = 0;
      for (id in count) if (count.hasOwnProperty(id) && n && (count[id] < 0 || count[id] >= n - allowedMisses(n))) termHits++;
      // A word in most stories says less about which story is meant.
      terms[t].rarity = rarity = Math.log(1 + N / (1 + termHits));
      termHits = 0;
      for (id in count) {
        if (!count.hasOwnProperty(id) || n === 0 || (count[id] >= 0 && count[id] < n - allowedMisses(n))) continue;
        termHits++;
        if (!byId[id]) { byId[id] = {id: +id, covered: 0, score: 0, exact: 0, hits: []}; ids.push(byId[id]); }
        found = byId[id];
        // A term with keys missing (a slip, or only pieces of a long word:
        // 介護 here and 支援専門員 there) is at most half a match; show() keeps
        // it only where the story has the word within one character.
        if (count[id] === n) { found.covered++; found.exact++; }
        else found.covered += 0.5;
        found.hits.push(t);
        found.score += weights[level[id]] * (count[id] === n ? 1 : 0.5) * rarity;
      }
      if (!termHits) state.missing.push(terms[t].label);
    }
    if (state.phraseKeys.length) {
      count = {};
      for (k = 0; k < state.phraseKeys.length; k++) {
        eachPosting((shards[shardOf(state.phraseKeys[k])] || {})[state.phraseKeys[k]] || '', function (sid) { count[sid] = (count[sid] || 0) + 1; });
      }
      for (k = 0; k < ids.length; k++) if (count[ids[k].id] === state.phraseKeys.length) ids[k].score += PHRASE_BONUS;
    }
    matched = ids;
    full = [];
    for (k = 0; k < matched.length; k++) if (matched[k].covered === terms.length) full.push(matched[k]);
    state.mode = full.length || !terms.length ? 'all' : 'partial';
    var out = full.length ? full : matched;
    out.sort(compare);
    return out;
  }

  function compare(a, b) {
    if (a.covered !== b.covered) return b.covered - a.covered;
    if (a.score !== b.score) return b.score - a.score;
    return a.id - b.id;
  }

  function countMatches(re, text) {
    var n = 0, m;
    if (!text) return 0;
    re.lastIndex = 0;
    while ((m = re.exec(text)) !== null) {
      if (!m[0].length) re.lastIndex++;
      else n++;
      if (n >= 8) break;
    }
    return n;
  }

  // With the document in hand: is each word the story matched by its keys
  // really there, as written or within one character (a slip)?  Keys are
  // bigrams, so a long word can have them all, or all but one, in pieces
  // spread over a story (介護支援専門員: 高齢・介護 and 相談支援専門員).  A story
  // where no word is really there is not a result; in a full match every
  // word must be.  Sets hit.verified (the words found) for the status line.
  function verify(hit) {
    var doc = docs[hit.id], a = state.analysis, k, t, text, ok = 0;
    if (!doc || !a || !hit.hits) return true;  // listed by the facets alone
    text = [doc[TITLE], doc[GROUPS[0]], doc[GROUPS[1]], doc[GROUPS[2]]].join('\n');
    var whole = 0, found;
    for (k = 0; k < hit.hits.length; k++) {
      t = hit.hits[k];
      found = state.terms[t].date ? 2 : termIn(t, text);
      if (found) ok++;
      if (found === 2) whole++;
    }
    hit.verified = whole;
    if (!ok) return false;
    return state.mode !== 'all' || whole === state.terms.length;
  }

  // 2: the word is in the text (as written, a variant, or one character off);
  // 1: only its noun (居場所 of 居場所作り); 0: neither.
  function termIn(t, text) {
    var term = state.analysis.terms[t], k;
    for (k = 0; k < state.marks.length; k++) {
      if (state.marks[k].word === t && state.marks[k].re.test(text)) return 2;
    }
    if (Q.locate(text, [term]).length) return 2;
    return state.terms[t].stem && Q.locate(text, [state.terms[t].stem]).length ? 1 : 0;
  }

  // With the document in hand: where each word really is (title, then the
  // summary and tags, then the structured fields, then the narrative), exact
  // spelling above a variant, and how often the structured fields repeat it
  // (a small bonus that never outweighs a better place).
  function recheck(hit) {
    var doc = docs[hit.id], t, g, w, typed, score = 0, phrase = 0, often;
    if (!doc) return;
    for (t = 0; t < state.marks.length; t++) {
      w = 0;
      if (state.marks[t].re.test(doc[TITLE])) w = weights[0];
      else {
        for (g = 0; g < GROUPS.length; g++) {
          if (state.marks[t].re.test(doc[GROUPS[g]])) { w = weights[g + 1]; break; }
        }
      }
      typed = M.canonical(state.marks[t].text || '');
      if (w && typed && M.canonical(doc[TITLE] + doc[GROUPS[0]] + doc[GROUPS[1]] + doc[GROUPS[2]]).indexOf(typed) >= 0) w += 0.5;
      if (w && state.terms[state.marks[t].word] && state.terms[state.marks[t].word].rarity) w *= state.terms[state.marks[t].word].rarity;
      if (w) {
        often = countMatches(state.marks[t].all, doc[TITLE]) + countMatches(state.marks[t].all, doc[GROUPS[0]]) +
          countMatches(state.marks[t].all, doc[GROUPS[1]]);
        w += Math.min(often, 5) * 0.08 + Math.min(countMatches(state.marks[t].all, doc[GROUPS[2]]), 5) * 0.02;
      }
      score += w;
    }
    if (state.phrase) {
      for (g = 0; g < GROUPS.length; g++) if (state.phrase.re.test(doc[GROUPS[g]]) || state.phrase.re.test(doc[TITLE])) phrase = PHRASE_BONUS;
    }
    hit.checked = score + phrase + together(doc);
  }

  // Words found together in one item (a timeline entry, a failure, a
  // paragraph) tell more than the same words scattered over the story.
  function together(doc) {
    var n = state.marks.length, best = 0, g, k, t, segments, found;
    if (n < 2) return 0;
    for (g = -1; g < GROUPS.length; g++) {
      segments = g < 0 ? [doc[TITLE]] : (doc[GROUPS[g]] || '').split('\n');
      for (k = 0; k < segments.length; k++) {
        found = 0;
        for (t = 0; t < n; t++) if (state.marks[t].re.test(segments[k])) found++;
        if (found > best) best = found;
      }
    }
    return best > 1 ? TOGETHER_BONUS * (best - 1) / (n - 1) : 0;
  }

  // ---- highlighting and snippets -----------------------------------------

  // Where to highlight: every match of the marks (the words as typed, with
  // their spellings), and wherever the normalised words occur, so a variant,
  // a folded spelling or a slip is marked as the story writes it.
  function ranges(text, marks) {
    var out = state.analysis ? Q.locate(text, state.analysis.terms) : [], t, m, re, merged = [], k;
    for (t = 0; t < marks.length; t++) {
      re = marks[t].all;
      re.lastIndex = 0;
      while ((m = re.exec(text)) !== null) {
        if (m[0].length === 0) { re.lastIndex++; continue; }
        out.push([m.index, m.index + m[0].length]);
      }
    }
    out.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    for (k = 0; k < out.length; k++) {
      if (merged.length && out[k][0] <= merged[merged.length - 1][1]) {
        if (out[k][1] > merged[merged.length - 1][1]) merged[merged.length - 1][1] = out[k][1];
      } else {
        merged.push([out[k][0], out[k][1]]);
      }
    }
    return merged;
  }

  function highlightMarks() {
    var marks = state.marks.concat(state.stemMarks || []);
    return state.phrase ? marks.concat([state.phrase]) : marks;
  }

  function appendHighlighted(node, text, marks) {
    var r = ranges(text, marks), pos = 0, k;
    for (k = 0; k < r.length; k++) {
      if (r[k][0] > pos) node.appendChild(document.createTextNode(text.slice(pos, r[k][0])));
      node.appendChild(el('mark', null, text.slice(r[k][0], r[k][1])));
      pos = r[k][1];
    }
    if (pos < text.length) node.appendChild(document.createTextNode(text.slice(pos)));
  }

  function safeCut(text, at) {
    var c = text.charCodeAt(at);
    return c >= 0xDC00 && c <= 0xDFFF ? at + 1 : at;
  }

  function segmentLabel(doc, g, segIndex, segments) {
    var kinds = doc[g + 1], kind = kinds.charAt(segIndex), k;
    if (kind === 'x' || kind === 'h') {
      for (k = segIndex; k >= 0; k--) if (kinds.charAt(k) === 'h') return '本文「' + segments[k] + '」';
      return labels.x;
    }
    return kind === 's' ? '' : labels[kind] || '';
  }

  // The segment that holds the whole phrase, else the most of the words
  // (earlier groups first), cut around its first match.
  // Where the marks find nothing (a slip), the second pass looks for the
  // normalised words (Q.locate), which costs more.
  function snippet(doc, marks, fallback) {
    var g, t, m, text, best = null, segments, segStart, k, found, first, score, from, to, segEnd, located;
    for (g = 0; g < GROUPS.length; g++) {
      text = doc[GROUPS[g]];
      if (!text) continue;
      segments = text.split('\n');
      segStart = 0;
      for (k = 0; k < segments.length; k++) {
        found = 0;
        first = null;
        for (t = 0; t < marks.length; t++) {
          m = marks[t].re.exec(segments[k]);
          if (!m) continue;
          found += marks[t] === state.phrase ? 100 : marks[t].text && marks[t].text.length === 1 ? 1 : 10;
          if (first === null || m.index < first.index) first = {index: m.index, length: m[0].length};
        }
        if (!found && fallback) {
          located = Q.locate(segments[k], state.analysis.terms);
          for (t = 0; t < located.length; t++) {
            found += 10;
            if (first === null || located[t][0] < first.index) first = {index: located[t][0], length: located[t][1] - located[t][0]};
          }
        }
        score = found * 10 - g;
        if (first && (best === null || score > best.score)) best = {score: score, g: g, k: k, start: segStart, index: segStart + first.index, length: first.length};
        segStart += segments[k].length + 1;
      }
    }
    if (!best && !fallback && state.analysis && state.analysis.terms.length) return snippet(doc, marks, true);
    if (best) {
      text = doc[GROUPS[best.g]];
      segments = text.split('\n');
      segEnd = best.start + segments[best.k].length;
      from = safeCut(text, Math.max(best.start, best.index - SNIPPET_BEFORE));
      to = safeCut(text, Math.min(segEnd, Math.max(best.index + best.length, best.index + SNIPPET_AFTER)));
      return {
        label: segmentLabel(doc, GROUPS[best.g], best.k, segments),
        text: (from > best.start ? '…' : '') + text.slice(from, to) + (to < segEnd ? '…' : '')
      };
    }
    text = doc[GROUPS[0]];
    segEnd = text.indexOf('\n');
    text = segEnd < 0 ? text : text.slice(0, segEnd);
    if (text.length > SUMMARY_LENGTH) text = text.slice(0, safeCut(text, SUMMARY_LENGTH)) + '…';
    return {label: '', text: text};
  }

  // ---- rendering ---------------------------------------------------------

  function label(f, v) { return facets[f].values[v][1]; }

  // The ticked facet values, marked where the meta line names them (高知県,
  // 休止中, 村): a result found by a facet shows why it is there.
  function facetMarks() {
    var out = [], f, v, parsed;
    for (f = 0; f < facets.length; f++) {
      for (v in state.selected[f]) {
        if (!state.selected[f].hasOwnProperty(v) || !state.selected[f][v]) continue;
        parsed = M.parse(label(f, +v));
        if (parsed.length === 1) out.push(parsed[0]);
      }
    }
    return out;
  }

  function renderResult(hit) {
    var doc = docs[hit.id], marks = highlightMarks();
    var li = el('li', 'ns-result');
    li.setAttribute('data-search-result', doc[SLUG]);
    var a = el('a', 'ns-result__title');
    a.href = INDEX.page.replace('{slug}', doc[SLUG]);
    appendHighlighted(a, doc[TITLE], marks);
    li.appendChild(a);
    var metaEl = el('div', 'ns-result__meta');
    appendHighlighted(metaEl, doc[META], facetMarks());
    li.appendChild(metaEl);
    var snip = snippet(doc, marks);
    var p = el('p', 'ns-result__snippet');
    if (snip.label) p.appendChild(el('span', 'ns-result__where', snip.label));
    appendHighlighted(p, snip.text, marks);
    li.appendChild(p);
    return li;
  }

  function autoNote() {
    if (!state.auto.length) return null;
    var names = [], k;
    for (k = 0; k < state.auto.length; k++) names.push(label(state.auto[k][0], state.auto[k][1]) + '（' + facets[state.auto[k][0]].label + '）');
    return '検索の言葉から絞り込みました：' + names.join('、') + '。外すときは、結果の後の「絞り込み」でチェックを外してください。';
  }

  function hint(list, text, link) {
    var li = el('li', null, text);
    if (link) {
      var a = el('a', null, '検索の言い換え一覧');
      a.href = THESAURUS_PAGE;
      li.appendChild(a);
      li.appendChild(document.createTextNode('を見てください。'));
    }
    list.appendChild(li);
  }

  // Every result on screen has every word, some within one character (a slip).
  function allNear(ordered) {
    if (!ordered || !ordered.length) return false;
    for (var k = 0; k < ordered.length; k++) if (ordered[k].verified !== state.terms.length) return false;
    return true;
  }

  function renderStatus(results, filtered, total, ordered) {
    clear(statusEl);
    if (total === undefined) total = results.length;
    var shown = M.display(state.q), asked = state.terms.length > 0;
    var note = autoNote();
    if (!asked && !filtered) {
      statusEl.appendChild(el('span', null, '探したい言葉を入れてください（例：協議会、ひきこもり、令和2年度、社協が始めた取り組み）。絞り込みだけで探すこともできます。'));
      return;
    }
    if (note) statusEl.appendChild(el('p', 'ns-auto', note));
    if (state.missing.length && total) {
      statusEl.appendChild(el('p', 'ns-missing', '「' + state.missing.join('」「') + '」を含む物語はありませんでした。'));
    }
    if (total) {
      var text;
      if (!asked) text = '絞り込みに合う物語：';
      else if (state.mode === 'partial' && allNear(ordered)) text = '「' + shown + '」をそのまま含む物語はありませんでした。一字違いの言葉を含む物語：';
      else if (state.mode === 'partial') text = 'すべての言葉を含む物語はありませんでした。一部を含む物語：';
      else text = '「' + shown + '」に一致する物語：';
      statusEl.appendChild(el('span', state.mode === 'partial' && asked ? 'ns-partial' : null, text + total + '件' + (asked && filtered ? '（絞り込み中）' : '')));
      if (state.failed) statusEl.appendChild(el('span', 'ns-error', '　索引の一部を読み込めなかったため、結果が欠けているかもしれません。'));
      return;
    }
    var msg = asked ? '「' + shown + '」に一致する物語は見つかりませんでした。' : '絞り込みに合う物語は見つかりませんでした。';
    statusEl.appendChild(el('strong', 'ns-none', msg));
    if (state.failed) statusEl.appendChild(el('span', 'ns-error', '　索引の一部を読み込めませんでした。'));
    var hints = el('ul', 'ns-hints');
    if (state.terms.length > 1) hint(hints, '言葉を減らすか、短い言葉にしてみてください。');
    hint(hints, '短い言葉や別の言い方で試してください（例：「ひきこもり支援」→「ひきこもり」、「連携会議」→「会議」）。');
    if (filtered) hint(hints, '絞り込みを外すと見つかるかもしれません（結果の後の「絞り込みを解除」）。');
    else hint(hints, '言葉を入れずに、絞り込み（都道府県・分野・状況など）だけで探すこともできます。');
    hint(hints, '略称や書き方の違いでも探せます。読み替える言葉は', true);
    statusEl.appendChild(hints);
  }

  function renderFacets(hits) {
    var focused = document.activeElement;
    var focusKey = focused && focused.getAttribute && focused.getAttribute('data-facet');
    var focusReset = focused && focused.getAttribute && focused.getAttribute('data-facet-reset');
    clear(facetsEl);
    if (!meta) { facetsEl.style.display = 'none'; return; }
    var f, v, k, counts, values, any = false;
    facetsEl.appendChild(el('h2', 'ns-facets__title', '絞り込み'));
    for (f = 0; f < facets.length; f++) {
      counts = [];
      for (v = 0; v < facets[f].values.length; v++) counts.push(0);
      for (k = 0; k < hits.length; k++) {
        if (!passes(hits[k].id, f)) continue;
        values = storyValues(f, hits[k].id);
        for (v = 0; v < values.length; v++) counts[values[v]]++;
      }
      var fieldset = el('fieldset', 'ns-facet');
      fieldset.appendChild(el('legend', null, facets[f].label));
      var list = el('ul', 'ns-facet__list'), shownValues = 0;
      for (v = 0; v < facets[f].values.length; v++) {
        if (!counts[v] && !state.selected[f][v]) continue;
        var li = el('li'), lab = el('label'), box = document.createElement('input');
        box.type = 'checkbox';
        box.name = facets[f].key;
        box.value = facets[f].values[v][0];
        box.checked = !!state.selected[f][v];
        box.setAttribute('data-facet', f + ':' + v);
        lab.appendChild(box);
        lab.appendChild(document.createTextNode(' ' + label(f, v) + ' '));
        lab.appendChild(el('span', 'ns-facet__count', '(' + counts[v] + ')'));
        li.appendChild(lab);
        list.appendChild(li);
        shownValues++;
      }
      if (!shownValues) continue;
      any = true;
      fieldset.appendChild(list);
      facetsEl.appendChild(fieldset);
    }
    if (anyFilter()) {
      var reset = el('button', 'ns-facet__reset', '絞り込みを解除');
      reset.type = 'button';
      reset.setAttribute('data-facet-reset', '1');
      facetsEl.insertBefore(reset, facetsEl.childNodes[1] || null);
    }
    facetsEl.style.display = any || anyFilter() ? '' : 'none';
    var boxes = facetsEl.getElementsByTagName('input');
    if (focusKey) {
      for (k = 0; k < boxes.length; k++) if (boxes[k].getAttribute('data-facet') === focusKey) boxes[k].focus();
    } else if (focusReset && input) {
      input.focus();
    }
  }

  function filtered(ranked) {
    if (!anyFilter()) return ranked;
    var out = [];
    for (var k = 0; k < ranked.length; k++) if (passes(ranked[k].id, -1)) out.push(ranked[k]);
    return out;
  }

  function markState(value) {
    root.setAttribute('data-search-state', value);
    if (value === 'done' || value === 'idle') {
      if (window.performance && window.performance.now) window.NorishiroSearchCompleteAt = window.performance.now();
      var w = waiters;
      waiters = [];
      for (var k = 0; k < w.length; k++) w[k]();
    }
  }

  // Load the documents of the page on screen, recheck them, render.  The
  // first FIRST_BATCH show as soon as their documents are in; each batch is
  // ordered by what its documents say, and batches keep their order.
  function show(generation) {
    var results = filtered(state.ranked), page = results.slice(0, state.shown + state.extra), cuts = [], k, c;
    if (page.length) cuts.push(Math.min(FIRST_BATCH, page.length));
    for (c = PAGE_SIZE; c < page.length; c += PAGE_SIZE) cuts.push(c);
    if (!cuts.length || cuts[cuts.length - 1] !== page.length) cuts.push(page.length);
    var ready = [], ordered = [], shownBatches = 0, dropped = {};
    function byChecked(a, b) {
      if (a.covered !== b.covered) return b.covered - a.covered;
      if (a.checked !== b.checked) return b.checked - a.checked;
      return compare(a, b);
    }
    // The first page is ordered as a whole once all its documents are in (the
    // first FIRST_BATCH show before); later pages keep the order shown so far.
    function batchDone(b) {
      ready[b] = true;
      while (shownBatches < cuts.length && ready[shownBatches]) {
        var from = shownBatches ? cuts[shownBatches - 1] : 0, batch = [];
        if (cuts[shownBatches] <= PAGE_SIZE) { from = 0; ordered = []; }
        for (k = from; k < cuts[shownBatches]; k++) {
          if (!docs[page[k].id]) continue;
          if (!verify(page[k])) { dropped[page[k].id] = 1; continue; }
          recheck(page[k]);
          batch.push(page[k]);
        }
        batch.sort(byChecked);
        ordered = ordered.concat(batch);
        shownBatches++;
        render(generation, ordered, results, page.length, shownBatches === cuts.length, count(dropped));
      }
    }
    if (generation !== state.generation) return;
    // The first batch is asked for alone, so its documents do not queue behind
    // the rest of the page; the others follow as soon as it is in.
    function request(c) {
      var loads = [];
      for (k = c ? cuts[c - 1] : 0; k < cuts[c]; k++) if (docs[page[k].id] === undefined) loads.push(needDoc(page[k].id));
      loadAll(loads, function () {
        if (generation !== state.generation) return;
        if (c === 0) for (var rest = 1; rest < cuts.length; rest++) request(rest);
        batchDone(c);
      });
    }
    if (cuts.length) request(0);
  }

  function count(set) {
    var n = 0;
    for (var key in set) if (set.hasOwnProperty(key)) n++;
    return n;
  }

  function render(generation, ordered, results, pageLength, final, dropped) {
    var k, rest, more;
    // Stories dropped by verify() leave the page short: check the next ones
    // (their documents), up to MAX_EXTRA more, before showing it.
    more = final && dropped && ordered.length < state.shown && pageLength < results.length && state.extra < MAX_EXTRA;
    if (more) {
      state.extra = Math.min(MAX_EXTRA, state.extra + state.shown - ordered.length);
      show(generation);
      return;
    }
    clear(resultsEl);
    for (k = 0; k < ordered.length; k++) resultsEl.appendChild(renderResult(ordered[k]));
    // Not one of the best candidates has the words: nothing is found (the
    // rest matched the same pieces), rather than a count with no stories.
    var none = final && dropped && !ordered.length;
    renderStatus(none ? [] : results, anyFilter(), none ? 0 : results.length - dropped, ordered);
    if (ordered.length && window.performance && window.performance.now && !window.NorishiroSearchFirstResultsAt) {
      window.NorishiroSearchFirstResultsAt = window.performance.now();
    }
    if (!final) return;
    renderFacets(none ? [] : state.ranked);
    clear(moreEl);
    rest = none ? 0 : results.length - pageLength;
    if (rest > 0) {
      more = el('button', 'ns-more', 'さらに表示（残り' + rest + '件）');
      more.type = 'button';
      more.onclick = function () {
        state.focusAt = state.shown;
        state.shown += PAGE_SIZE;
        state.extra = 0;
        state.generation++;
        show(state.generation);
      };
      moreEl.appendChild(more);
    }
    if (state.focusAt !== undefined) {
      var target = resultsEl.children[state.focusAt], links = resultsEl.getElementsByTagName('a');
      if (target && target.getElementsByTagName('a')[0]) target.getElementsByTagName('a')[0].focus();
      else if (links.length) links[links.length - 1].focus();
      state.focusAt = undefined;
    }
    markState(meta || state.failed ? 'done' : 'partial');
    if (!meta && !state.failed) needMeta(function () { if (generation === state.generation) { renderFacets(state.ranked); markState('done'); } });
  }

  function allStories() {
    var out = [];
    for (var k = 0; k < N; k++) out.push({id: k, covered: 0, score: 0, exact: 0});
    return out;
  }

  function run() {
    var generation = ++state.generation;
    if (state.q !== state.lastQ) {
      readQuery();
      state.lastQ = state.q;
      state.shown = PAGE_SIZE;
      state.extra = 0;
    }
    if (!state.terms.length && !anyFilter()) {
      state.ranked = [];
      renderStatus([], false);
      clear(resultsEl);
      clear(moreEl);
      clear(facetsEl);
      facetsEl.style.display = 'none';
      markState('idle');
      return;
    }
    root.setAttribute('data-search-state', 'loading');
    var loads = [], seen = {}, k, t, n, wanted = state.phraseKeys.slice();
    for (t = 0; t < state.terms.length; t++) wanted = wanted.concat(state.terms[t].keys, state.terms[t].stemKeys || []);
    for (k = 0; k < wanted.length; k++) {
      n = shardOf(wanted[k]);
      if (!seen[n]) { seen[n] = 1; loads.push(needShard(n)); }
    }
    // The facet table is needed first only to filter or to list every story.
    // Otherwise it loads after the first results (render), not competing with them.
    if (anyFilter() || !state.terms.length) loads.push(needMeta);
    loadAll(loads, function () {
      if (generation !== state.generation) return;
      state.ranked = state.terms.length ? rank() : allStories();
      if (!state.terms.length) state.mode = 'all';
      show(generation);
    });
  }

  // ---- events ------------------------------------------------------------

  var timer = null, composing = false;

  function fromInput() {
    if (input.value !== state.q) {
      state.q = input.value;
      state.noAuto = false;
      clearAuto();
    }
    run();
    writeAddress();
  }

  // Facets that came from the previous words go when the words change.
  function clearAuto() {
    for (var k = 0; k < state.auto.length; k++) state.selected[state.auto[k][0]][state.auto[k][1]] = false;
    state.auto = [];
  }

  if (form) {
    form.onsubmit = function (e) {
      if (e && e.preventDefault) e.preventDefault();
      if (timer) { clearTimeout(timer); timer = null; }
      fromInput();
      return false;
    };
  }
  if (input && input.addEventListener) {
    var onInput = function () {
      if (composing) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(function () { timer = null; fromInput(); }, 300);
    };
    input.addEventListener('input', onInput, false);
    input.addEventListener('compositionstart', function () { composing = true; }, false);
    input.addEventListener('compositionend', function () { composing = false; onInput(); }, false);
  }
  facetsEl.onclick = function (e) {
    var target = (e || window.event).target || (e || window.event).srcElement;
    if (!target || !target.getAttribute) return;
    if (target.getAttribute('data-facet-reset')) {
      for (var f = 0; f < facets.length; f++) state.selected[f] = {};
      if (state.auto.length) state.noAuto = true;
      state.auto = [];
      state.shown = PAGE_SIZE;
      state.extra = 0;
      if (input) input.focus();
      run();
      writeAddress();
      return;
    }
    var key = target.getAttribute('data-facet');
    if (!key) return;
    var parts = key.split(':');
    state.selected[+parts[0]][+parts[1]] = !!target.checked;
    if (!target.checked) {
      for (var k = 0; k < state.auto.length; k++) {
        if (state.auto[k][0] === +parts[0] && state.auto[k][1] === +parts[1]) { state.noAuto = true; state.auto.splice(k, 1); break; }
      }
      if (state.noAuto) state.lastQ = null;  // read the words again (readQuery)
    }
    state.shown = PAGE_SIZE;
    state.extra = 0;
    run();
    writeAddress();
  };

  readAddress();
  if (input) input.value = state.q;
  var headerInput = document.getElementById('ns-header-q');
  if (headerInput) headerInput.value = state.q;
  run();

  // For tests and measurements: search as if typed; resolves to the slugs on screen.
  window.NorishiroSearch = {
    search: function (query) {
      return new Promise(function (resolve) {
        if (input) input.value = String(query);
        waiters.push(function () {
          var out = [], items = resultsEl.querySelectorAll('[data-search-result]'), k;
          for (k = 0; k < items.length; k++) out.push(items[k].getAttribute('data-search-result'));
          resolve(out);
        });
        if (input) {
          if (String(query) !== state.q) { state.q = String(query); state.noAuto = false; clearAuto(); }
          run();
        }
      });
    }
  };
})(window, document);
