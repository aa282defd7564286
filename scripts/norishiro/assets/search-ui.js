/*
 * のりしろ search: the search page (ES5, no dependencies).
 *
 * Reads ?q= (and facet parameters) from the address, finds the stories whose
 * text contains every term (window.NorishiroMatch), ranks title and summary
 * matches first, and renders a plain list with a highlighted snippet and facet
 * checkboxes.  All story text is inserted as text nodes, never as HTML.
 */
(function (window, document) {
  'use strict';

  var PAGE_SIZE = 50;
  var SNIPPET_BEFORE = 40;
  var SNIPPET_AFTER = 100;
  var SUMMARY_LENGTH = 140;
  var COUNT_CAP = 10;
  // Positions in a story record (see norishiro/search/index.py); groups 2 and
  // 3 (positions 6 to 9) arrive later from the text shards.
  var SLUG = 0, TITLE = 1, UPDATED = 2, FACETS = 3;
  var GROUPS = [4, 6, 8];
  var SHARD_FUNCTION = 'NORISHIRO_TEXT_SHARD';

  var root = document.getElementById('norishiro-search');
  if (!root) return;
  var INDEX = window.NORISHIRO_INDEX;
  var M = window.NorishiroMatch;
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

  if (!INDEX || !M || !INDEX.stories) {
    clear(statusEl);
    statusEl.appendChild(el('span', 'ns-error', '検索の索引を読み込めませんでした。ページを再読み込みしてください。'));
    return;
  }

  var stories = INDEX.stories;
  var facets = INDEX.facets;
  var weights = INDEX.weights;
  var labels = INDEX.labels;
  var shardUrls = INDEX.shards || [];
  var state = {
    q: '', terms: [], selected: [], shown: PAGE_SIZE, lastQ: null, hits: [], results: [],
    complete: shardUrls.length === 0, failed: false, pending: shardUrls.length
  };
  var i;
  for (i = 0; i < facets.length; i++) state.selected.push({});

  // ---- address -----------------------------------------------------------

  function decode(part) {
    part = part.replace(/\+/g, ' ');
    try { return decodeURIComponent(part); } catch (e) { return part; }
  }

  function readAddress() {
    var search = window.location.search || '';
    var pairs = search.replace(/^\?/, '').split('&');
    var k, eq, key, value, f, v;
    state.q = '';
    for (k = 0; k < facets.length; k++) state.selected[k] = {};
    for (k = 0; k < pairs.length; k++) {
      if (!pairs[k]) continue;
      eq = pairs[k].indexOf('=');
      key = decode(eq < 0 ? pairs[k] : pairs[k].slice(0, eq));
      value = eq < 0 ? '' : decode(pairs[k].slice(eq + 1));
      if (key === 'q') { state.q = value; continue; }
      for (f = 0; f < facets.length; f++) {
        if (facets[f].key !== key) continue;
        for (v = 0; v < facets[f].values.length; v++) {
          if (facets[f].values[v][0] === value) state.selected[f][v] = true;
        }
      }
    }
  }

  function address() {
    var parts = ['q=' + encodeURIComponent(state.q)];
    var f, v;
    for (f = 0; f < facets.length; f++) {
      for (v = 0; v < facets[f].values.length; v++) {
        if (state.selected[f][v]) parts.push(facets[f].key + '=' + encodeURIComponent(facets[f].values[v][0]));
      }
    }
    return '?' + parts.join('&');
  }

  function writeAddress() {
    // file:// pages may refuse to change their address; the search still works.
    try {
      if (window.history && window.history.replaceState) window.history.replaceState(null, '', address());
    } catch (e) { /* ignore */ }
  }

  // ---- matching and ranking ----------------------------------------------

  function countMatches(re, text, cap) {
    var n = 0, m;
    re.lastIndex = 0;
    while (n < cap && (m = re.exec(text)) !== null) {
      if (m[0].length === 0) re.lastIndex++;
      n++;
    }
    return n;
  }

  // Stories containing every term, with a score: for each term the weight of
  // the best place it occurs (title > summary/tags/place > timeline/failures >
  // narrative), then how often the terms occur.
  function findHits(terms) {
    var hits = [], s, k, t, w, score, ok, count, g;
    for (k = 0; k < stories.length; k++) {
      s = stories[k];
      score = 0;
      ok = true;
      for (t = 0; t < terms.length; t++) {
        if (terms[t].re.test(s[TITLE])) w = weights[0];
        else if (terms[t].re.test(s[GROUPS[0]])) w = weights[1];
        else if (s[GROUPS[1]] && terms[t].re.test(s[GROUPS[1]])) w = weights[2];
        else if (s[GROUPS[2]] && terms[t].re.test(s[GROUPS[2]])) w = weights[3];
        else { ok = false; break; }
        score += w;
      }
      if (ok) hits.push({i: k, score: score, count: 0});
    }
    if (terms.length) {
      for (k = 0; k < hits.length; k++) {
        s = stories[hits[k].i];
        count = 0;
        for (t = 0; t < terms.length; t++) {
          for (g = 0; g < GROUPS.length; g++) {
            if (s[GROUPS[g]]) count += countMatches(terms[t].all, s[GROUPS[g]], COUNT_CAP);
          }
        }
        hits[k].count = count;
      }
    }
    hits.sort(function (a, b) {
      if (a.score !== b.score) return b.score - a.score;
      if (a.count !== b.count) return b.count - a.count;
      var ua = stories[a.i][UPDATED], ub = stories[b.i][UPDATED];
      if (ua !== ub) return ua < ub ? 1 : -1;
      return a.i - b.i;
    });
    return hits;
  }

  function anySelected(f) {
    for (var v in state.selected[f]) if (state.selected[f].hasOwnProperty(v) && state.selected[f][v]) return true;
    return false;
  }

  // True when the story passes every facet filter except facet `except`.
  function passes(story, except) {
    var f, k, values, ok;
    for (f = 0; f < facets.length; f++) {
      if (f === except || !anySelected(f)) continue;
      values = story[FACETS][f];
      ok = false;
      for (k = 0; k < values.length; k++) if (state.selected[f][values[k]]) { ok = true; break; }
      if (!ok) return false;
    }
    return true;
  }

  // ---- highlighting and snippets -----------------------------------------

  function ranges(text, terms) {
    var out = [], t, m, re, merged = [], k;
    for (t = 0; t < terms.length; t++) {
      re = terms[t].all;
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

  function appendHighlighted(node, text, terms) {
    var r = ranges(text, terms), pos = 0, k;
    for (k = 0; k < r.length; k++) {
      if (r[k][0] > pos) node.appendChild(document.createTextNode(text.slice(pos, r[k][0])));
      node.appendChild(el('mark', null, text.slice(r[k][0], r[k][1])));
      pos = r[k][1];
    }
    if (pos < text.length) node.appendChild(document.createTextNode(text.slice(pos)));
  }

  function safeCut(text, at) {
    // Do not split a surrogate pair.
    var c = text.charCodeAt(at);
    return c >= 0xDC00 && c <= 0xDFFF ? at + 1 : at;
  }

  function segmentLabel(story, g, segIndex, segments) {
    var kinds = story[g + 1], kind = kinds.charAt(segIndex), k;
    if (kind === 'x' || kind === 'h') {
      for (k = segIndex; k >= 0; k--) {
        if (kinds.charAt(k) === 'h') return '本文「' + segments[k] + '」';
      }
      return labels.x;
    }
    return kind === 's' ? '' : labels[kind] || '';
  }

  // The first place (by weight) where a term occurs, cut around the match.
  function snippet(story, terms) {
    var g, t, m, text, best, segStart, segEnd, segments, segIndex, from, to;
    for (g = 0; g < GROUPS.length; g++) {
      text = story[GROUPS[g]];
      if (!text) continue;
      best = null;
      for (t = 0; t < terms.length; t++) {
        m = terms[t].re.exec(text);
        if (m && (best === null || m.index < best.index)) best = {index: m.index, length: m[0].length};
      }
      if (!best) continue;
      segStart = text.lastIndexOf('\n', best.index - 1) + 1;
      segEnd = text.indexOf('\n', best.index);
      if (segEnd < 0) segEnd = text.length;
      segments = text.split('\n');
      segIndex = text.slice(0, segStart).split('\n').length - 1;
      from = Math.max(segStart, best.index - SNIPPET_BEFORE);
      to = Math.min(segEnd, Math.max(best.index + best.length, best.index + SNIPPET_AFTER));
      from = safeCut(text, from);
      to = safeCut(text, to);
      return {
        label: segmentLabel(story, GROUPS[g], segIndex, segments),
        text: (from > segStart ? '…' : '') + text.slice(from, to) + (to < segEnd ? '…' : '')
      };
    }
    text = story[GROUPS[0]];
    segEnd = text.indexOf('\n');
    text = segEnd < 0 ? text : text.slice(0, segEnd);
    if (text.length > SUMMARY_LENGTH) text = text.slice(0, safeCut(text, SUMMARY_LENGTH)) + '…';
    return {label: '', text: text};
  }

  // ---- rendering ---------------------------------------------------------

  function label(f, v) { return facets[f].values[v][1]; }

  // The text of the first segment of kind `kind` in group g ('' if none).
  function segmentOf(story, g, kind) {
    var at = story[g + 1].indexOf(kind);
    return at < 0 ? '' : story[g].split('\n')[at];
  }

  function metaLine(story) {
    var parts = [], f, key, pref = null, status = null, jusou = null;
    for (f = 0; f < facets.length; f++) {
      key = facets[f].key;
      if (!story[FACETS][f].length) continue;
      if (key === 'pref') pref = label(f, story[FACETS][f][0]);
      if (key === 'status') status = label(f, story[FACETS][f][0]);
      if (key === 'jusou') jusou = '重層：' + label(f, story[FACETS][f][0]);
    }
    parts.push((pref ? pref + ' ' : '') + segmentOf(story, GROUPS[0], 'm'));
    if (status) parts.push(status);
    if (jusou) parts.push(jusou);
    parts.push('更新 ' + story[UPDATED]);
    return parts.join('　・　');
  }

  function renderResult(hit) {
    var story = stories[hit.i];
    var li = el('li', 'ns-result');
    li.setAttribute('data-search-result', story[SLUG]);
    var a = el('a', 'ns-result__title');
    a.href = INDEX.page.replace('{slug}', story[SLUG]);
    appendHighlighted(a, story[TITLE], state.terms);
    li.appendChild(a);
    li.appendChild(el('div', 'ns-result__meta', metaLine(story)));
    var snip = snippet(story, state.terms);
    var p = el('p', 'ns-result__snippet');
    if (snip.label) p.appendChild(el('span', 'ns-result__where', snip.label));
    appendHighlighted(p, snip.text, state.terms);
    li.appendChild(p);
    return li;
  }

  function renderStatus(results, filtered) {
    clear(statusEl);
    var shown = M.display(state.q);
    if (!state.terms.length && !filtered) {
      statusEl.appendChild(el('span', null, '探したい言葉を入れてください（例：協議会、ひきこもり、ヤングケアラー）。絞り込みだけで探すこともできます。'));
      return;
    }
    if (results.length) {
      var text = state.terms.length ? '「' + shown + '」に一致する物語：' : '絞り込みに合う物語：';
      statusEl.appendChild(el('span', null, text + results.length + '件' + (state.terms.length && filtered ? '（絞り込み中）' : '')));
      if (!state.complete) statusEl.appendChild(el('span', 'ns-loading', '　本文を検索しています…'));
      if (state.failed) statusEl.appendChild(el('span', 'ns-error', '　本文の索引の一部を読み込めなかったため、結果が欠けているかもしれません。'));
      return;
    }
    if (!state.complete) {
      statusEl.appendChild(el('span', 'ns-loading', '本文を検索しています…'));
      return;
    }
    var msg = state.terms.length
      ? '「' + shown + '」に一致する物語は見つかりませんでした。'
      : '絞り込みに合う物語は見つかりませんでした。';
    statusEl.appendChild(el('strong', 'ns-none', msg));
    var hints = el('ul', 'ns-hints');
    if (state.terms.length > 1) hints.appendChild(el('li', null, '言葉をスペースで区切ると、すべての言葉を含む物語だけを表示します。言葉を減らしてみてください。'));
    hints.appendChild(el('li', null, '短い言葉や別の言い方で試してください（例：「ひきこもり支援」→「ひきこもり」、「連携会議」→「会議」）。'));
    if (filtered) hints.appendChild(el('li', null, '絞り込みを外すと見つかるかもしれません。'));
    statusEl.appendChild(hints);
  }

  function renderFacets(hits) {
    var focused = document.activeElement;
    var focusKey = focused && focused.getAttribute && focused.getAttribute('data-facet');
    clear(facetsEl);
    var f, v, k, counts, story, values, any = false;
    for (f = 0; f < facets.length; f++) {
      counts = [];
      for (v = 0; v < facets[f].values.length; v++) counts.push(0);
      for (k = 0; k < hits.length; k++) {
        story = stories[hits[k].i];
        if (!passes(story, f)) continue;
        values = story[FACETS][f];
        for (v = 0; v < values.length; v++) counts[values[v]]++;
      }
      var fieldset = el('fieldset', 'ns-facet');
      fieldset.appendChild(el('legend', null, facets[f].label));
      var list = el('ul', 'ns-facet__list'), shownValues = 0;
      for (v = 0; v < facets[f].values.length; v++) {
        if (!counts[v] && !state.selected[f][v]) continue;
        var li = el('li');
        var lab = el('label');
        var box = document.createElement('input');
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
    var filtered = anyFilter();
    if (filtered) {
      var reset = el('button', 'ns-facet__reset', '絞り込みを解除');
      reset.type = 'button';
      reset.setAttribute('data-facet-reset', '1');
      facetsEl.appendChild(reset);
    }
    facetsEl.style.display = any || filtered ? '' : 'none';
    if (focusKey) {
      var boxes = facetsEl.getElementsByTagName('input');
      for (k = 0; k < boxes.length; k++) if (boxes[k].getAttribute('data-facet') === focusKey) boxes[k].focus();
    }
  }

  function render() {
    var results = [], k, filtered = anyFilter();
    var hits = state.hits;
    for (k = 0; k < hits.length; k++) if (passes(stories[hits[k].i], -1)) results.push(hits[k]);
    state.results = results;
    renderStatus(results, filtered);
    renderFacets(hits);
    clear(resultsEl);
    for (k = 0; k < results.length && k < state.shown; k++) resultsEl.appendChild(renderResult(results[k]));
    clear(moreEl);
    if (results.length > state.shown) {
      var more = el('button', 'ns-more', 'さらに表示（残り' + (results.length - state.shown) + '件）');
      more.type = 'button';
      more.onclick = function () { state.shown += PAGE_SIZE; render(); };
      moreEl.appendChild(more);
    }
    if (results.length && window.performance && window.performance.now && !window.NorishiroSearchFirstResultsAt) {
      window.NorishiroSearchFirstResultsAt = window.performance.now();
    }
    markRendered(state.complete ? 'done' : 'partial');
  }

  // data-search-state: loading -> partial (title/summary index only) -> done.
  function markRendered(value) {
    root.setAttribute('data-search-state', value);
    if (!window.performance || !window.performance.now) return;
    if (!window.NorishiroSearchRenderedAt) window.NorishiroSearchRenderedAt = window.performance.now();
    if (value === 'done' || value === 'idle') window.NorishiroSearchCompleteAt = window.performance.now();
  }

  function run() {
    if (state.q !== state.lastQ) {
      state.terms = M.parse(state.q);
      state.hits = findHits(state.terms);
      state.lastQ = state.q;
      state.shown = PAGE_SIZE;
    }
    if (!state.terms.length && !anyFilter()) {
      // Nothing asked yet: show the facets of every story, no result list.
      renderStatus([], false);
      renderFacets(state.hits);
      clear(resultsEl);
      clear(moreEl);
      markRendered(state.complete ? 'idle' : 'partial');
      return;
    }
    render();
  }

  function anyFilter() {
    for (var f = 0; f < facets.length; f++) if (anySelected(f)) return true;
    return false;
  }

  // ---- events ------------------------------------------------------------

  var timer = null, composing = false;

  function fromInput() {
    state.q = input.value;
    run();
    writeAddress();
  }

  if (form) {
    form.onsubmit = function (e) {
      if (e && e.preventDefault) e.preventDefault();
      if (timer) { clearTimeout(timer); timer = null; }
      fromInput();
      return false;
    };
  }
  if (input) {
    var onInput = function () {
      if (composing) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(function () { timer = null; fromInput(); }, 250);
    };
    if (input.addEventListener) {
      input.addEventListener('input', onInput, false);
      input.addEventListener('compositionstart', function () { composing = true; }, false);
      input.addEventListener('compositionend', function () { composing = false; onInput(); }, false);
    }
  }
  facetsEl.onclick = function (e) {
    var target = (e || window.event).target || (e || window.event).srcElement;
    if (!target || !target.getAttribute) return;
    if (target.getAttribute('data-facet-reset')) {
      for (var f = 0; f < facets.length; f++) state.selected[f] = {};
      state.shown = PAGE_SIZE;
      run();
      writeAddress();
      return;
    }
    var key = target.getAttribute('data-facet');
    if (!key) return;
    var parts = key.split(':');
    state.selected[+parts[0]][+parts[1]] = !!target.checked;
    state.shown = PAGE_SIZE;
    run();
    writeAddress();
  };

  // ---- the text shards --------------------------------------------------

  function shardArrived() {
    state.pending--;
    if (state.pending > 0) return;
    state.complete = true;
    state.lastQ = null;  // search again with the whole text
    var shown = state.shown;
    run();
    if (shown > state.shown) { state.shown = shown; render(); }
  }

  window[SHARD_FUNCTION] = function (first, records) {
    var k, j, story;
    for (k = 0; k < records.length; k++) {
      story = stories[first + k];
      if (!story) continue;
      for (j = 0; j < 4; j++) story[GROUPS[1] + j] = records[k][j];
    }
  };

  // Script elements, not fetch: they load from file:// too.
  function loadShards() {
    var head = document.getElementsByTagName('head')[0] || document.body;
    var k, script;
    for (k = 0; k < shardUrls.length; k++) {
      script = document.createElement('script');
      script.src = shardUrls[k];
      script.async = true;
      script.onload = shardArrived;
      script.onerror = function () { state.failed = true; shardArrived(); };
      head.appendChild(script);
    }
  }

  readAddress();
  if (input) input.value = state.q;
  var headerInput = document.getElementById('ns-header-q');
  if (headerInput) headerInput.value = state.q;
  run();
  // Let the first results paint, then read the rest of the text.
  if (shardUrls.length) setTimeout(loadShards, 0);

  // For tests and measurements: search as if typed, return every result's slug.
  window.NorishiroSearch = {
    search: function (query) {
      state.q = String(query);
      if (input) input.value = state.q;
      run();
      var out = [], k;
      if (!state.terms.length && !anyFilter()) return out;
      for (k = 0; k < state.results.length; k++) out.push(stories[state.results[k].i][SLUG]);
      return out;
    }
  };
})(window, document);
