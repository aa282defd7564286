/* 「物語を書く」: the offline story editor.
 *
 * Runs from file:// or any server with no request to another host.  The form,
 * its checks and their Japanese messages follow the data that
 * norishiro.contribute.editor generates from the format definition
 * (window.NORISHIRO_EDITOR_DATA); tests/fixtures/editor/cases.json is run
 * against this code and the Python checker alike.  Files are read with
 * js-yaml (vendored, FAILSAFE schema: every scalar stays text, as the checker
 * reads them) and written by the YAML emitter below.
 */
(function () {
  "use strict";

  var D = window.NORISHIRO_EDITOR_DATA;
  var DRAFT_KEY = "norishiro:editor:draft:v1";

  function re(source, flags) { return new RegExp(source, (flags || "") + "u"); }

  // ------------------------------------------------------------ folding and lookup

  var IGNORED = re(D.fold.ignored, "g");
  var PARTS = re(D.fold.parts, "g");

  function nfkc(text) { return String(text).normalize("NFKC"); }

  function foldLabel(text) {
    var key = nfkc(text).trim().toLowerCase();
    D.fold.spelling.forEach(function (pair) { key = key.split(pair[0]).join(pair[1]); });
    return key.replace(IGNORED, "");
  }

  function vocabLookup(name, text) {
    var vocab = D.vocabs[name];
    var found = vocab.index[foldLabel(text)];
    if (found !== undefined) return found;
    var ids = [];
    String(text).split(PARTS).forEach(function (part) {
      if (part.trim()) ids.push(vocab.index[foldLabel(part)]);
    });
    var unique = ids.filter(function (id, i) { return ids.indexOf(id) === i; });
    return unique.length === 1 && unique[0] !== undefined ? unique[0] : null;
  }

  function vocabLabel(name, id) {
    var terms = D.vocabs[name].terms;
    for (var i = 0; i < terms.length; i++) if (terms[i].id === id) return terms[i].label;
    return id;
  }

  function lookupPrefecture(text) {
    var name = D.prefecture_index[foldLabel(text)];
    return name === undefined ? null : name;
  }

  // difflib.get_close_matches(word, candidates, n=1, cutoff=0.6), as Python computes it.
  function matchingCharacters(a, b) {
    var b2j = {};
    b.forEach(function (ch, j) { (b2j[ch] = b2j[ch] || []).push(j); });
    function longest(alo, ahi, blo, bhi) {
      var besti = alo, bestj = blo, bestsize = 0, j2len = {};
      for (var i = alo; i < ahi; i++) {
        var newj2len = {};
        var js = b2j[a[i]] || [];
        for (var x = 0; x < js.length; x++) {
          var j = js[x];
          if (j < blo) continue;
          if (j >= bhi) break;
          var k = newj2len[j] = (j2len[j - 1] || 0) + 1;
          if (k > bestsize) { besti = i - k + 1; bestj = j - k + 1; bestsize = k; }
        }
        j2len = newj2len;
      }
      while (besti > alo && bestj > blo && a[besti - 1] === b[bestj - 1]) { besti--; bestj--; bestsize++; }
      while (besti + bestsize < ahi && bestj + bestsize < bhi && a[besti + bestsize] === b[bestj + bestsize]) bestsize++;
      return [besti, bestj, bestsize];
    }
    var total = 0, queue = [[0, a.length, 0, b.length]];
    while (queue.length) {
      var q = queue.pop();
      var m = longest(q[0], q[1], q[2], q[3]);
      if (m[2]) {
        total += m[2];
        if (q[0] < m[0] && q[2] < m[1]) queue.push([q[0], m[0], q[2], m[1]]);
        if (m[0] + m[2] < q[1] && m[1] + m[2] < q[3]) queue.push([m[0] + m[2], q[1], m[1] + m[2], q[3]]);
      }
    }
    return total;
  }

  function closeMatch(word, candidates, cutoff) {
    var b = Array.from(word), best = null;
    candidates.forEach(function (candidate) {
      var a = Array.from(candidate);
      var size = a.length + b.length;
      var score = size ? 2 * matchingCharacters(a, b) / size : 1;
      if (score >= cutoff && (best === null || score > best[0] || (score === best[0] && candidate > best[1]))) best = [score, candidate];
    });
    return best ? best[1] : null;
  }

  /* As Vocabulary.suggest: the accepted term whose folded spelling is closest. */
  function suggestTerm(vocab, text) {
    var folded = {};
    vocab.spellings.forEach(function (spelling) {
      var key = foldLabel(spelling);
      if (vocab.index[key] !== undefined) folded[key] = vocab.index[key];
    });
    var close = closeMatch(foldLabel(text), Object.keys(folded), 0.6);
    if (close === null) return "";
    var term = vocab.terms.filter(function (t) { return t.id === folded[close]; })[0];
    return "「" + term.label + "」のことですか？（id では " + term.id + "） ";
  }

  function didYouMean(text, candidates) {
    var close = closeMatch(text, candidates, 0.6);
    return close ? "「" + close + "」のことですか？ " : "";
  }

  // ------------------------------------------------------------ dates (format/dates.py)

  var ERAS = {};
  D.dates.eras.forEach(function (era) { ERAS[era.name] = era; });
  var JAPANESE = re(D.dates.japanese), NUMERIC = re(D.dates.numeric), ISO_DAY = re(D.dates.iso_day);

  function dayNumber(y, m, d) { return y * 10000 + m * 100 + d; }
  function isoNumber(iso) { var p = iso.split("-").map(Number); return dayNumber(p[0], p[1], p[2]); }
  function lastDay(y, m) { return new Date(Date.UTC(y, m, 0)).getUTCDate(); }
  function pad(n, width) { var s = String(n); while (s.length < width) s = "0" + s; return s; }

  function DateError(message, impossible) { this.message = message; this.impossible = !!impossible; }

  function westernYear(era, yearText, raw) {
    if (!era) {
      if (yearText === "元" || yearText.length !== 4) throw new DateError("「" + raw + "」の年は西暦4桁（例: 2021）か、令和・平成の年で書いてください");
      var year = parseInt(yearText, 10);
      if (year < D.dates.min_year || year > D.dates.max_year) throw new DateError("「" + raw + "」の年 " + year + " はありえません", true);
      return year;
    }
    var number = yearText === "元" ? 1 : parseInt(yearText, 10);
    var info = ERAS[era];
    if (number < 1 || (info.last_year !== null && number > info.last_year)) {
      var limit = info.last_year ? era + "元年〜" + info.last_year + "年" : era + "元年以降";
      throw new DateError("「" + raw + "」という年はありません（" + limit + "）", true);
    }
    var western = info.first_year + number - 1;
    if (western > D.dates.max_year) throw new DateError("「" + raw + "」の年はありえません", true);
    return western;
  }

  function parsePeriod(value) {
    var raw = String(value);
    var text = nfkc(raw).trim();
    var match = JAPANESE.exec(text) || NUMERIC.exec(text);
    if (!match) throw new DateError("「" + raw + "」は日付として読めません");
    var g = match.groups;
    var era = g.era || null;
    if (era && D.dates.era_initials[era.toLowerCase()]) era = D.dates.era_initials[era.toLowerCase()];
    var year = westernYear(era, g.year, raw);
    var month = g.month ? parseInt(g.month, 10) : null;
    var day = g.day ? parseInt(g.day, 10) : null;
    var p;
    if (g.fy) p = { start: dayNumber(year, 4, 1), end: dayNumber(year + 1, 3, 31), precision: "fiscal_year" };
    else if (month === null) p = { start: dayNumber(year, 1, 1), end: dayNumber(year, 12, 31), precision: "year" };
    else {
      if (month < 1 || month > 12) throw new DateError("「" + raw + "」の月 " + month + " はありません（1〜12）", true);
      var last = lastDay(year, month);
      if (day === null) p = { start: dayNumber(year, month, 1), end: dayNumber(year, month, last), precision: "month" };
      else {
        if (day < 1 || day > last) throw new DateError("「" + raw + "」の日 " + day + " はありません（" + year + "年" + month + "月は" + last + "日まで）", true);
        p = { start: dayNumber(year, month, day), end: dayNumber(year, month, day), precision: "day" };
      }
    }
    p.era = era; p.text = raw; p.year = year;
    if (era && p.precision !== "fiscal_year") {
      var info = ERAS[era];
      if (p.end < isoNumber(info.starts) || (info.ends && p.start > isoNumber(info.ends))) throw new DateError("「" + raw + "」は" + era + "の期間にありません", true);
    }
    return p;
  }

  function month(n) { return Math.floor(n / 100) % 100; }
  function dayOf(n) { return n % 100; }

  function periodWestern(p) {
    if (p.precision === "fiscal_year") return p.year + "年度";
    if (p.precision === "year") return p.year + "年";
    if (p.precision === "month") return p.year + "年" + month(p.start) + "月";
    return p.year + "年" + month(p.start) + "月" + dayOf(p.start) + "日";
  }

  function periodLabel(p) {
    if (!p.era) return periodWestern(p);
    var number = p.year - ERAS[p.era].first_year + 1;
    var eraPart = p.era + (number === 1 ? "元" : number) + "年";
    if (p.precision === "fiscal_year") return eraPart + "度（" + p.year + "年度）";
    var western = periodWestern(p);
    return eraPart + western.slice((p.year + "年").length) + "（" + western + "）";
  }

  function periodIso(p) {
    if (p.precision === "year" || p.precision === "fiscal_year") return pad(p.year, 4);
    if (p.precision === "month") return pad(p.year, 4) + "-" + pad(month(p.start), 2);
    return pad(p.year, 4) + "-" + pad(month(p.start), 2) + "-" + pad(dayOf(p.start), 2);
  }

  // A YAML 1.1 timestamp with a time of day: its date counts (check_day).
  var DATETIME = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[Tt]|[ \t]+)\d{1,2}:\d\d:\d\d(?:\.\d*)?(?:[ \t]*(?:Z|[-+]\d\d?(?::\d\d)?))?$/;

  function parseDay(value) {
    var raw = String(value);
    var text = nfkc(raw).trim();
    var m = ISO_DAY.exec(text);
    if (!m) throw new DateError("「" + raw + "」は YYYY-MM-DD の形ではありません");
    var y = +m[1], mo = +m[2], d = +m[3];
    if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > lastDay(y, mo)) throw new DateError("「" + raw + "」という日付はありません", true);
    return dayNumber(y, mo, d);
  }

  function isoOfDay(n) { return pad(Math.floor(n / 10000), 4) + "-" + pad(month(n), 2) + "-" + pad(dayOf(n), 2); }

  // ------------------------------------------------------------ privacy (check/privacy.py)

  var P = D.privacy;
  var PLACEHOLDER = re(P.placeholder), HONORIFIC = re(P.honorific, "g");
  var SCRIPTS = P.scripts.map(function (s) { return { name: s[0], pattern: re(s[1]), shortest: s[2], longest: s[3] }; });
  var KANJI = SCRIPTS[0].pattern;
  var BODY_ACCEPT = /<!--\s*norishiro:\s*ok\b(?<ids>[^>]*?)-->/gu;
  var RULE_ID = re(P.rule_id, "g");
  var HY = "-‐‑‒–—―−ー";
  var KEEP = {
    any: function () { return true; },
    phone_digits: function (text) {
      var digits = (text.match(/\p{Nd}/gu) || []).length;
      return digits === 10 || digits === 11 || (text.indexOf("+81") === 0 && (digits === 11 || digits === 12));
    },
    not_a_date: function (text) { return !/^(?:19|20)\p{Nd}\p{Nd}-\p{Nd}{1,2}-\p{Nd}{1,2}$/u.test(text); }
  };

  function endsWithAny(text, list) {
    for (var i = 0; i < list.length; i++) if (text.slice(-list[i].length) === list[i] && list[i].length <= text.length) return true;
    return false;
  }

  function runBefore(line, end) {
    if (end === 0) return null;
    for (var s = 0; s < SCRIPTS.length; s++) {
      var script = SCRIPTS[s];
      if (script.pattern.test(line[end - 1])) {
        var start = end;
        while (start > 0 && script.pattern.test(line[start - 1])) start--;
        return end - start >= script.shortest ? [script.name, line.slice(start, end), start] : null;
      }
    }
    return null;
  }

  function notAName(line, match, script, run, start) {
    var honorific = match[0], end = match.index + honorific.length;
    var after = line.slice(end, end + 1), before = start ? line[start - 1] : "";
    if ("様氏君".indexOf(honorific) >= 0 && honorific.length === 1 && KANJI.test(after || " ")) return true;
    if (honorific === "ちゃん" && after === "と" && script === "hiragana") return true;
    if (honorific === "くん" && (after === "で" || after === "だ")) return true;
    if (PLACEHOLDER.test(before || " ") || before === "お" || before === "ご") return true;
    if (script === "kanji") return endsWithAny(run, P.kanji_allowed) || P.role_endings.indexOf(run[run.length - 1]) >= 0 || endsWithAny(run, P.not_honorific[honorific] || []);
    if (script === "katakana") return endsWithAny(run, P.katakana_allowed);
    return P.kana_honorifics.indexOf(honorific) < 0 || run[0] === "お" || run[0] === "ご" || endsWithAny(run, P.hiragana_allowed);
  }

  function findNames(line) {
    var spans = [];
    HONORIFIC.lastIndex = 0;
    var match;
    while ((match = HONORIFIC.exec(line)) !== null) {
      var found = runBefore(line, match.index);
      if (!found && match.index > 0 && line[match.index - 1] === " ") found = runBefore(line, match.index - 1);
      if (!found) continue;
      if (match[0] === "さま" && found[0] !== "kanji") continue;
      if (notAName(line, match, found[0], found[1], found[2])) continue;
      var longest = SCRIPTS.filter(function (s) { return s.name === found[0]; })[0].longest;
      spans.push([Math.max(found[2], match.index - longest), match.index + match[0].length]);
    }
    return spans;
  }

  // As check/names.py: a common family name, then one to three kanji that end like a given name.
  var FULL_NAME = re(P.full_name, "g"), SPACED_NAME = re(P.spaced_name, "g"), WEB_ADDRESS = re(P.url, "g");
  function isGivenName(given) {
    if (P.not_given.indexOf(given) >= 0 || given[0] === "第") return false;
    if (Array.from(given).every(function (c) { return P.numerals.indexOf(c) >= 0; })) return false;
    if (given.length === 1) return P.one_character_given.indexOf(given) >= 0;
    return P.given_endings.indexOf(given[given.length - 1]) >= 0;
  }
  function findFullNames(line) {
    var spans = [], match;
    FULL_NAME.lastIndex = 0;
    while ((match = FULL_NAME.exec(line)) !== null) {
      var end = match.index + match[0].length;
      var honorific = P.honorific_after.some(function (h) { return line.slice(end, end + h.length) === h; });
      if (!honorific && isGivenName(match.groups.given)) spans.push([match.index, end]);
    }
    if (line.indexOf(" ") < 0) return spans;
    SPACED_NAME.lastIndex = 0;
    while ((match = SPACED_NAME.exec(line)) !== null) {
      var stop = match.index + match[0].length, family = match.groups.family;
      var honored = P.honorific_after.some(function (h) { return line.slice(stop, stop + h.length) === h; });
      if (honored || P.not_family_endings.indexOf(family[family.length - 1]) >= 0 || P.not_given.indexOf(family) >= 0) continue;
      if (isGivenName(match.groups.given)) spans.push([match.index, stop]);
    }
    return spans;
  }

  var FINDERS = P.rules.map(function (rule) {
    if (rule.finder === "names") return findNames;
    if (rule.finder === "full_names") return findFullNames;
    var patterns = rule.patterns.map(function (source) { return re(source, "g"); });
    var keep = KEEP[rule.keep];
    function find(line) {
      var spans = [];
      patterns.forEach(function (pattern) {
        pattern.lastIndex = 0;
        var m;
        while ((m = pattern.exec(line)) !== null) {
          if (m[0] === "") { pattern.lastIndex++; continue; }
          var text = m[0], start = m.index;
          if (m.groups && m.groups.hit !== undefined) { text = m.groups.hit; start = m.index + m[0].indexOf(text, 0); }
          if (keep(text)) spans.push([start, start + text.length]);
        }
      });
      return spans;
    }
    // As privacy.RegexFinder: kanji numerals read as digits too (same length, same positions),
    // and nothing kept that lies inside a web address.
    return function (line) {
      var spans = find(line);
      if (rule.kanji_digits && (line.indexOf("〇") >= 0 || line.indexOf("零") >= 0)) {
        spans = spans.concat(find(line.replace(/./g, function (c) { return P.kanji_digits[c] || c; })));
      }
      if (rule.outside_urls && line.indexOf("http") >= 0) {
        var urls = [], url;
        WEB_ADDRESS.lastIndex = 0;
        while ((url = WEB_ADDRESS.exec(line)) !== null) urls.push([url.index, url.index + url[0].length]);
        spans = spans.filter(function (s) { return !urls.some(function (u) { return u[0] <= s[0] && s[1] <= u[1]; }); });
      }
      return spans;
    };
  });


  function outermost(spans) {
    var seen = {}, unique = [];
    spans.forEach(function (s) { var k = s[0] + ":" + s[1]; if (!seen[k]) { seen[k] = 1; unique.push(s); } });
    unique.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var kept = [];
    unique.forEach(function (s) { if (!kept.length || s[0] >= kept[kept.length - 1][1]) kept.push(s); });
    return kept;
  }

  function normaliseLine(line) {
    var chars = Array.from(line), folded = "", origin = [], offset = 0;
    chars.forEach(function (ch) {
      var part = ch.normalize("NFKC");
      for (var i = 0; i < part.length; i++) origin.push([offset, offset + ch.length]);
      folded += part;
      offset += ch.length;
    });
    return { folded: folded, origin: origin };
  }

  function privacyLine(line, inFront) {
    var ids = {}, scanned = line;
    var pattern = BODY_ACCEPT;
    // A front-matter marker counts only as a YAML comment, which a form value never is
    // (as in check/privacy.py: a marker typed inside a value silences nothing).
    if (!inFront && line.indexOf("norishiro") >= 0) {
      pattern.lastIndex = 0;
      var m;
      while ((m = pattern.exec(line)) !== null) {
        (m.groups.ids.match(RULE_ID) || []).forEach(function (id) { ids[id] = 1; });
        scanned = scanned.slice(0, m.index) + " ".repeat(m[0].length) + scanned.slice(m.index + m[0].length);
        if (m[0] === "") pattern.lastIndex++;
      }
    }
    var n = normaliseLine(scanned), reported = [], out = [];
    P.rules.forEach(function (rule, r) {
      var spans = outermost(FINDERS[r](n.folded)).filter(function (span) {
        return !reported.some(function (a) { return a[0] <= span[0] && span[1] <= a[1]; });
      });
      reported = reported.concat(spans);
      if (ids[rule.id]) return;
      spans.forEach(function (span) {
        var shown = line.slice(n.origin[span[0]][0], n.origin[span[1] - 1][1]).trim();
        var marker = inFront ? "# norishiro: ok " + rule.id : "<!-- norishiro: ok " + rule.id + " -->";
        out.push({ rule: rule.id, message: "「" + shown + "」は" + rule.suspect + "の可能性があります（" + rule.advice + "。確認済みなら行末に " + marker + " ）" });
      });
    });
    return out;
  }

  // ------------------------------------------------------------ the checker (check/story.py)

  var ROOT = D.keys;
  var CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;

  function isAbsent(v) { return v === undefined || v === null || v === ""; }
  function isMap(v) { return v !== null && typeof v === "object" && !Array.isArray(v); }
  function childOf(key, name) {
    var children = key.children || [];
    for (var i = 0; i < children.length; i++) if (children[i].name === name) return children[i];
    return null;
  }

  function Checker() { this.findings = []; }
  Checker.prototype.report = function (field, rule, message, severity) {
    this.findings.push({ field: field, rule: rule, message: message, severity: severity || (rule[0] === "W" ? "warning" : "error") });
  };

  var INVALID = { invalid: true };

  Checker.prototype.wrongType = function (key, name, value) {
    var found = Array.isArray(value) ? "リスト" : isMap(value) ? "項目のまとまり" : "「" + value + "」";
    var hint;
    if (key.type === "mapping") hint = name + ": の下の行に、字下げして「" + key.children.slice(0, 3).map(function (c) { return c.name + ":"; }).join(" / ") + "」のように書いてください";
    else if (key.type === "list") hint = name + ": の下の行に「- 値」を1行ずつ書くか、[値1, 値2] と書いてください";
    else hint = D.type_labels[key.type] + "を1つ書いてください" + (key.example ? "（例: " + key.example + "）" : "");
    this.report(name, "S103", name + " は" + D.type_labels[key.type] + "で書きますが、" + found + "になっています（" + hint + "）");
    return INVALID;
  };

  var BOOL_TRUE = /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/, BOOL_FALSE = /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/;

  Checker.prototype.value = function (key, name, value) {
    var scalar = typeof value === "string";
    var label = key.label;
    switch (key.type) {
      case "string": {
        if (!scalar) return this.wrongType(key, name, value);
        var text = value.trim();
        var control = CONTROL.exec(text);
        if (control) {
          this.report(name, "S112", name + "（" + label + "）に見えない制御文字（U+" + pad(control[0].charCodeAt(0).toString(16).toUpperCase(), 4) + "）があります（その文字を消してください。別のアプリから貼り付けたときに入ることがあります）");
          return INVALID;
        }
        var length = Array.from(text).length;
        if (key.min_len !== undefined && length < key.min_len) {
          this.report(name, "S104", name + "（" + label + "）が空です（" + (key.help || "内容を書いてください") + "）");
          return INVALID;
        }
        if (key.max_len !== undefined && length > key.max_len) {
          this.report(name, "S105", name + "（" + label + "）が" + length + "字あります（" + key.max_len + "字以内に縮めてください。あと" + (length - key.max_len) + "字）");
          return INVALID;
        }
        return text;
      }
      case "positive_integer": {
        if (!scalar) return this.wrongType(key, name, value);
        var cleaned = nfkc(value).trim().replace(/,/g, "").replace(/_/g, "");
        if (cleaned.slice(-1) === "人") cleaned = cleaned.slice(0, -1);
        if (!/^[0-9]+$/.test(cleaned) || !(parseInt(cleaned, 10) > 0)) {
          this.report(name, "S109", name + "（" + label + "）の「" + value + "」は正の整数ではありません（例: 52000 のように数字だけで書いてください）");
          return INVALID;
        }
        return parseInt(cleaned, 10);
      }
      case "boolean": {
        if (scalar && BOOL_TRUE.test(value)) return true;
        if (scalar && BOOL_FALSE.test(value)) return false;
        this.report(name, "S111", name + "（" + label + "）の「" + (scalar ? value : "リストや項目") + "」は true か false ではありません（true か false と書いてください）");
        return INVALID;
      }
      case "enum": {
        if (!scalar) return this.wrongType(key, name, value);
        var found = vocabLookup(key.vocab, value);
        if (found === null) {
          var vocab = D.vocabs[key.vocab];
          this.report(name, vocab.unknown_rule, name + "（" + label + "）の「" + value + "」は使えない値です（" + suggestTerm(vocab, value.trim()) + "次のどれかを書いてください: " + vocab.choices + "）");
          return INVALID;
        }
        return found;
      }
      case "prefecture": {
        if (!scalar) return this.wrongType(key, name, value);
        var pref = lookupPrefecture(value);
        if (pref === null) {
          this.report(name, "S108", name + "（" + label + "）の「" + value + "」は47都道府県のどれでもありません（" + didYouMean(value.trim(), D.prefectures.map(function (p) { return p.name; })) + "「三重県」や「三重」のように書いてください）");
          return INVALID;
        }
        return pref;
      }
      case "period": {
        if (!scalar) return this.wrongType(key, name, value);
        try { return parsePeriod(value); } catch (e) {
          if (!(e instanceof DateError)) throw e;
          this.report(name, e.impossible ? "S202" : "S201", name + "（" + label + "）: " + e.message + "（2021、2021-06、2021-06-15、2021年6月、2021年度、令和3年度 のように書いてください）");
          return INVALID;
        }
      }
      case "day": {
        if (!scalar) return this.wrongType(key, name, value);
        var dt = DATETIME.exec(value);
        if (dt) return dayNumber(+dt[1], +dt[2], +dt[3]);
        try { return parseDay(value); } catch (e) {
          if (!(e instanceof DateError)) throw e;
          var hint = "YYYY-MM-DD の形で、例えば 2025-04-01 と書いてください";
          try {
            var period = parsePeriod(value);
            if (period.precision === "day") hint = isoOfDay(period.start) + " と書いてください";
          } catch (ignored) { /* not a date at all */ }
          this.report(name, e.impossible ? "S202" : "S205", name + "（" + label + "）: " + e.message + "（" + hint + "）");
          return INVALID;
        }
      }
      case "mapping": return this.mapping(key, name, value);
      case "list": return this.list(key, name, value);
    }
    return value;
  };

  Checker.prototype.mapping = function (key, name, value) {
    if (!isMap(value)) return this.wrongType(key, name, value);
    var self = this, values = {};
    Object.keys(value).forEach(function (childName) {
      var child = childOf(key, childName);
      var childPath = name ? name + "." + childName : childName;
      if (!child) { self.unknownKey(key, childName, name, childPath); return; }
      if (isAbsent(value[childName])) return;  // an empty key counts as absent; the file leaves it out
      values[childName] = self.value(child, childPath, value[childName]);
    });
    (key.children || []).forEach(function (child) {
      if (child.required && !(child.name in values)) {
        var example = child.example ? "。例: " + child.name + ": " + child.example : "";
        var inside = name ? name + " の中に" : "";
        self.report(name ? name + "." + child.name : child.name, "S101", "必須の項目 " + child.name + "（" + child.label + "）がありません（" + inside + child.name + ": を書き足してください" + example + "）");
        values[child.name] = INVALID;
      }
    });
    return values;
  };

  Checker.prototype.unknownKey = function (parent, keyName, parentName, path) {
    var names = (parent.children || []).map(function (c) { return c.name; });
    var guess = closeMatch(keyName.toLowerCase(), names, 0.6);
    if (!guess) {
      var folded = foldLabel(keyName);
      (parent.children || []).forEach(function (c) { if (!guess && c.label && foldLabel(c.label) === folded) guess = c.name; });
    }
    var where = parentName ? parentName + " の中で" : "";
    var hint = guess ? "「" + guess + "」のことですか？" : where + "使える項目: " + names.join(", ");
    this.report(path, "S102", "知らない項目「" + keyName + "」があります（" + hint + "）");
  };

  Checker.prototype.list = function (key, name, value) {
    if (!Array.isArray(value)) return this.wrongType(key, name, value);
    var self = this;
    var items = value.map(function (item, i) {
      var itemName = name + "[" + (i + 1) + "]";
      if (isAbsent(item)) {
        self.report(itemName, "S104", itemName + "（" + key.item.label + "）が空です（「- 」のあとに内容を書くか、その行を消してください）");
        return INVALID;
      }
      return self.value(key.item, itemName, item);
    });
    if (key.min_items && value.length < key.min_items) {
      this.report(name, "S110", name + "（" + key.label + "）が" + value.length + "件しかありません（" + key.min_items + "件以上書いてください）");
    }
    return items;
  };

  function validItems(values, name) {
    var items = values[name];
    if (!Array.isArray(items)) return [];
    var out = [];
    items.forEach(function (item, i) { if (item !== INVALID) out.push([i + 1, item]); });
    return out;
  }

  function crossRules(checker, values) {
    var previous = null;
    validItems(values, "timeline").forEach(function (entry) {
      var period = entry[1].when;
      if (!period || period === INVALID) return;
      if (previous && period.end < previous.start) {
        checker.report("timeline[" + entry[0] + "].when", "S203", "timeline[" + entry[0] + "] の「" + period.text + "」が、前の項目の「" + previous.text + "」より前になっています（経過は古い順に並べてください。この項目を前に移すか、時期を直してください）");
      }
      previous = period;
    });
    var updated = values.updated;
    if (typeof updated === "number") {
      ["timeline", "failures"].forEach(function (name) {
        validItems(values, name).forEach(function (entry) {
          var period = entry[1].when;
          if (period && period !== INVALID && period.start > updated) {
            checker.report(name + "[" + entry[0] + "].when", "S204", name + "[" + entry[0] + "] の「" + period.text + "」が更新日 updated（" + isoOfDay(updated) + "）より後です（時期を直すか、updated を今日の日付にしてください）");
          }
        });
      });
    }
    ["fields", "carried_by"].forEach(function (name) {
      var seen = {};
      validItems(values, name).forEach(function (entry) {
        if (seen[entry[1]]) checker.report(name, "W101", name + " に「" + vocabLabel(D.fields_vocab, entry[1]) + "」が2回あります（1回にしてください）", "warning");
        seen[entry[1]] = 1;
      });
    });
  }

  function privacyRules(checker, model, body) {
    function walk(value, name) {
      if (typeof value === "string") {
        value.split("\n").forEach(function (line) {
          privacyLine(line, true).forEach(function (p) { checker.report(name, p.rule, p.message, "warning"); });
        });
      } else if (Array.isArray(value)) {
        value.forEach(function (item, i) { walk(item, name + "[" + (i + 1) + "]"); });
      } else if (isMap(value)) {
        Object.keys(value).forEach(function (k) { walk(value[k], name ? name + "." + k : k); });
      }
    }
    walk(model, "");
    (body || "").split("\n").forEach(function (line) {
      privacyLine(line, false).forEach(function (p) { checker.report("body", p.rule, p.message, "warning"); });
    });
  }

  function slugFinding(checker, slug) {
    var name = slug + ".md";
    var valid = new RegExp(D.slug.pattern).test(slug) && slug.length <= D.slug.max;
    if (!valid) {
      var reason = slug.length > D.slug.max ? "80字を超えています" : "半角の小文字英数字とハイフンだけで書きます";
      checker.report("slug", "S010", "ファイル名「" + name + "」が使えません。ファイル名はページの URL になるので、" + reason + "（例えば " + (suggestSlug(state.model) || "my-story") + ".md にしてください）");
    }
  }

  /* Check a front matter (plain object, text leaves) and body as the checker would. */
  function check(model, body) {
    var checker = new Checker();
    var values = checker.mapping(ROOT, "", model);
    crossRules(checker, values);
    privacyRules(checker, model, body);
    return checker.findings;
  }

  // ------------------------------------------------------------ YAML emitter (YAML 1.1 readers)

  // Plain scalars that a YAML 1.1 or 1.2 reader would type as something else.
  var IMPLICIT = [
    /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
    /^(?:~|null|Null|NULL)$/,
    /^[-+]?(?:0b[0-1_]+|0o?[0-7_]+|(?:0|[1-9][0-9_]*)|0x[0-9a-fA-F_]+|[1-9][0-9_]*(?::[0-5]?[0-9])+)$/,
    /^(?:[-+]?(?:[0-9][0-9_]*)?\.?[0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
    /^\d{4}-\d{1,2}-\d{1,2}(?:(?:[Tt]|[ \t]+)\d{1,2}:\d\d:\d\d(?:\.\d*)?(?:[ \t]*(?:Z|[-+]\d\d?(?::\d\d)?))?)?$/,
    /^(?:<<|=)$/
  ];
  // Characters a plain or literal scalar cannot hold as themselves: controls, the
  // YAML 1.1 line breaks NEL/LS/PS, the byte order mark, lone surrogates.
  var NOT_PRINTABLE = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\u2028\u2029\ufeff\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?:^|[^\ud800-\udbff])[\udc00-\udfff]/;
  var BREAKS = /[\r\x85]/;

  function plainSafe(text) {
    if (text === "" || text !== text.trim() || /[\s]$|^[\s]/.test(text)) return false;
    if (/^[-?:,\[\]{}#&*!|>'"%@`]/.test(text) || /^(?:---|\.\.\.)/.test(text)) return false;
    if (/:(?:\s|$)|\s#|[\n\t]/.test(text) || NOT_PRINTABLE.test(text) || BREAKS.test(text)) return false;
    if (/^[\s\u3000]|[\s\u3000]$/.test(text)) return false;
    return !IMPLICIT.some(function (pattern) { return pattern.test(text); });
  }

  var ESCAPES = { "\0": "\\0", "\x07": "\\a", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\x0b": "\\v", "\f": "\\f", "\r": "\\r", "\x1b": "\\e", "\"": "\\\"", "\\": "\\\\", "\x85": "\\N", "\u2028": "\\L", "\u2029": "\\P" };

  function doubleQuoted(text) {
    var out = "\"";
    for (var i = 0; i < text.length; i++) {
      var ch = text[i], code = text.charCodeAt(i);
      if (ESCAPES[ch]) out += ESCAPES[ch];
      else if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) out += "\\x" + pad(code.toString(16).toUpperCase(), 2);
      else if (code === 0xfeff || code === 0xfffe || code === 0xffff) out += "\\u" + code.toString(16).toUpperCase();
      else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length && text.charCodeAt(i + 1) >= 0xdc00 && text.charCodeAt(i + 1) <= 0xdfff) { out += ch + text[i + 1]; i++; }
      else if (code >= 0xd800 && code <= 0xdfff) out += "\\u" + code.toString(16).toUpperCase();
      else out += ch;
    }
    return out + "\"";
  }

  /* A scalar value after "key: ": its first line and any further lines. */
  function scalarLines(text, indent, keyDef, inList) {
    if (keyDef && text === text.trim()) {
      if (keyDef.type === "positive_integer" && /^[1-9][0-9]*$/.test(text)) return [text];
      if (keyDef.type === "day" && /^\d{4}-\d\d-\d\d$/.test(text)) return [text];
      if (keyDef.type === "boolean" && /^(?:true|false)$/.test(text)) return [text];
    }
    if (plainSafe(text)) return [text];
    var literal = !inList && text.indexOf("\n") >= 0 && !NOT_PRINTABLE.test(text) && !BREAKS.test(text) && !/^\n*$/.test(text) && !/[ \t]+\n|[ \t]+$/.test(text.replace(/\n+$/, ""));
    if (!literal) return [doubleQuoted(text)];
    var trailing = (/\n*$/.exec(text) || [""])[0].length;
    var chomp = trailing === 0 ? "-" : trailing === 1 ? "" : "+";
    var content = trailing ? text.slice(0, -trailing) : text;
    var indicator = /^[ \t\n]/.test(content) ? "2" : "";
    var lines = content.split("\n");
    for (var i = 1; i < trailing; i++) lines.push("");
    var pad2 = " ".repeat(indent + 2);
    return ["|" + indicator + chomp].concat(lines.map(function (line) { return line === "" ? "" : pad2 + line; }));
  }

  function keyText(name) { return plainSafe(name) ? name : doubleQuoted(name); }

  function orderedKeys(value, keyDef) {
    var known = ((keyDef && keyDef.children) || []).map(function (c) { return c.name; }).filter(function (n) { return n in value; });
    return known.concat(Object.keys(value).filter(function (n) { return known.indexOf(n) < 0; }));
  }

  function emitMapping(value, keyDef, indent) {
    var lines = [], sp = " ".repeat(indent);
    orderedKeys(value, keyDef).forEach(function (name) {
      var child = keyDef ? childOf(keyDef, name) : null;
      var v = value[name];
      if (child && isAbsent(v)) return;  // the form's empty fields are left out
      var head = sp + keyText(name) + ":";
      if (v === null || v === undefined) lines.push(head);
      else if (typeof v === "string") {
        var s = scalarLines(v, indent, child, false);
        lines.push(head + " " + s[0]);
        lines = lines.concat(s.slice(1));
      } else if (Array.isArray(v)) {
        if (!v.length) lines.push(head + " []");
        else { lines.push(head); lines = lines.concat(emitSequence(v, child && child.item, indent + 2)); }
      } else if (!Object.keys(v).length) lines.push(head + " {}");
      else { lines.push(head); lines = lines.concat(emitMapping(v, child, indent + 2)); }
    });
    return lines;
  }

  function emitSequence(items, itemDef, indent) {
    var lines = [], sp = " ".repeat(indent);
    items.forEach(function (item) {
      if (item === null || item === undefined) lines.push(sp + "-");
      else if (typeof item === "string") lines.push(sp + "- " + scalarLines(item, indent, itemDef, true)[0]);
      else if (Array.isArray(item)) {
        if (!item.length) lines.push(sp + "- []");
        else {
          var inner = emitSequence(item, itemDef && itemDef.item, indent + 2);
          inner[0] = sp + "- " + inner[0].slice(indent + 2);
          lines = lines.concat(inner);
        }
      } else {
        var body = emitMapping(item, itemDef, indent + 2);
        if (!body.length) lines.push(sp + "- {}");
        else { body[0] = sp + "- " + body[0].slice(indent + 2); lines = lines.concat(body); }
      }
    });
    return lines;
  }

  function emitStory(model, body) {
    var lines = emitMapping(model, ROOT, 0);
    var text = "---\n" + (lines.length ? lines.join("\n") + "\n" : "") + "---\n";
    if (body) text += body.slice(-1) === "\n" ? body : body + "\n";
    return text;
  }

  // ------------------------------------------------------------ reading a story file

  function splitStory(text) {
    text = text.replace(/^\ufeff/, "").replace(/\r\n?/g, "\n");
    var lines = text.split("\n"), first = -1;
    for (var i = 0; i < lines.length; i++) if (lines[i].trim()) { first = i; break; }
    if (first < 0 || !/^---[ \t]*$/.test(lines[first])) throw new Error("フロントマターがありません（1行目が --- ではありません）");
    for (var j = first + 1; j < lines.length; j++) {
      if (/^(?:---|\.\.\.)[ \t]*$/.test(lines[j])) return { front: lines.slice(first + 1, j).join("\n"), body: lines.slice(j + 1).join("\n") };
    }
    throw new Error("フロントマターが閉じていません（--- だけの行がありません）");
  }

  function nullify(value, typed) {
    if (typed === null) return null;
    if (typed === undefined || typed === null || typeof typed !== "object") return value;
    if (Array.isArray(value)) return value.map(function (v, i) { return nullify(v, typed[i]); });
    if (isMap(value)) { var out = {}; Object.keys(value).forEach(function (k) { out[k] = nullify(value[k], typed[k]); }); return out; }
    return value;
  }

  /* Spellings the form shows as choices become their ids; anything else stays as written. */
  function normaliseKnown(value, key) {
    if (key.type === "enum" && typeof value === "string") return vocabLookup(key.vocab, value) || value;
    if (key.type === "prefecture" && typeof value === "string") return lookupPrefecture(value) || value;
    if (key.type === "mapping" && isMap(value)) {
      Object.keys(value).forEach(function (k) { var c = childOf(key, k); if (c && !isAbsent(value[k])) value[k] = normaliseKnown(value[k], c); });
    }
    if (key.type === "list" && Array.isArray(value)) return value.map(function (item) { return isAbsent(item) ? item : normaliseKnown(item, key.item); });
    return value;
  }

  function readStory(text) {
    var parts = splitStory(text);
    var data;
    try {
      data = window.jsyaml.load(parts.front, { schema: window.jsyaml.FAILSAFE_SCHEMA });
    } catch (e) {
      throw new Error("フロントマターを YAML として読めません: " + (e.reason || e.message) + (e.mark ? "（" + (e.mark.line + 2) + "行目）" : ""));
    }
    if (data === undefined || data === null) data = {};
    if (!isMap(data)) throw new Error("フロントマターが「項目名: 値」の並びではありません");
    // FAILSAFE keeps every scalar as text but cannot tell `key:` or `~` from "~";
    // the core schema resolves only plain scalars, so its nulls are the real ones.
    data = normaliseKnown(nullify(data, window.jsyaml.load(parts.front, { schema: window.jsyaml.CORE_SCHEMA })), ROOT);
    var comments = /(^|\s)#/m.test(parts.front.replace(/"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'/g, ""));
    return { model: data, body: parts.body, comments: comments };
  }

  // ------------------------------------------------------------ slugs

  var KANA = {
    "きゃ": "kya", "きゅ": "kyu", "きょ": "kyo", "しゃ": "sha", "しゅ": "shu", "しょ": "sho", "ちゃ": "cha", "ちゅ": "chu", "ちょ": "cho",
    "にゃ": "nya", "にゅ": "nyu", "にょ": "nyo", "ひゃ": "hya", "ひゅ": "hyu", "ひょ": "hyo", "みゃ": "mya", "みゅ": "myu", "みょ": "myo",
    "りゃ": "rya", "りゅ": "ryu", "りょ": "ryo", "ぎゃ": "gya", "ぎゅ": "gyu", "ぎょ": "gyo", "じゃ": "ja", "じゅ": "ju", "じょ": "jo",
    "びゃ": "bya", "びゅ": "byu", "びょ": "byo", "ぴゃ": "pya", "ぴゅ": "pyu", "ぴょ": "pyo", "しぇ": "she", "ちぇ": "che", "じぇ": "je",
    "ふぁ": "fa", "ふぃ": "fi", "ふぇ": "fe", "ふぉ": "fo", "てぃ": "ti", "でぃ": "di", "うぃ": "wi", "うぇ": "we", "うぉ": "wo", "ゔぁ": "va",
    "あ": "a", "い": "i", "う": "u", "え": "e", "お": "o", "か": "ka", "き": "ki", "く": "ku", "け": "ke", "こ": "ko",
    "さ": "sa", "し": "shi", "す": "su", "せ": "se", "そ": "so", "た": "ta", "ち": "chi", "つ": "tsu", "て": "te", "と": "to",
    "な": "na", "に": "ni", "ぬ": "nu", "ね": "ne", "の": "no", "は": "ha", "ひ": "hi", "ふ": "fu", "へ": "he", "ほ": "ho",
    "ま": "ma", "み": "mi", "む": "mu", "め": "me", "も": "mo", "や": "ya", "ゆ": "yu", "よ": "yo",
    "ら": "ra", "り": "ri", "る": "ru", "れ": "re", "ろ": "ro", "わ": "wa", "ゐ": "i", "ゑ": "e", "を": "o", "ん": "n",
    "が": "ga", "ぎ": "gi", "ぐ": "gu", "げ": "ge", "ご": "go", "ざ": "za", "じ": "ji", "ず": "zu", "ぜ": "ze", "ぞ": "zo",
    "だ": "da", "ぢ": "ji", "づ": "zu", "で": "de", "ど": "do", "ば": "ba", "び": "bi", "ぶ": "bu", "べ": "be", "ぼ": "bo",
    "ぱ": "pa", "ぴ": "pi", "ぷ": "pu", "ぺ": "pe", "ぽ": "po", "ゔ": "vu",
    "ぁ": "a", "ぃ": "i", "ぅ": "u", "ぇ": "e", "ぉ": "o", "ゃ": "ya", "ゅ": "yu", "ょ": "yo", "ゎ": "wa"
  };

  /* Hepburn romaji for kana; other characters (kanji) become word breaks. */
  function romanise(text) {
    var hira = nfkc(text).replace(/[\u30a1-\u30f6]/g, function (ch) { return String.fromCharCode(ch.charCodeAt(0) - 0x60); });
    var out = "", i = 0;
    while (i < hira.length) {
      var two = hira.substr(i, 2), one = hira[i];
      if (one === "っ" && i + 1 < hira.length) {
        var next = KANA[hira.substr(i + 1, 2)] || KANA[hira[i + 1]];
        if (next) out += next[0] === "c" ? "t" : next[0];
        i++; continue;
      }
      if (one === "ー") { i++; continue; }
      if (KANA[two]) { out += KANA[two]; i += 2; continue; }
      if (KANA[one]) {
        var r = KANA[one];
        if (one === "ん" && /^[aiueoy]/.test(KANA[hira.substr(i + 1, 2)] || KANA[hira[i + 1]] || "")) r = "n-";
        out += r; i++; continue;
      }
      out += /[a-z0-9]/i.test(one) ? one.toLowerCase() : "-";
      i++;
    }
    return out.replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  }

  /* Like norishiro.check.story.suggest_slug: the title's romaji, else the story's facts. */
  function suggestSlug(model) {
    var title = (model && typeof model.title === "string") ? model.title : "";
    // Kanji cannot be read without a dictionary: only a title in kana and letters is romanised.
    var slug = /[\u3400-\u9fff\uf900-\ufaff々]/.test(title) ? "" : romanise(title).slice(0, D.slug.max).replace(/-+$/, "");
    if (slug.length >= 3 && slug.split("-").join("").length >= 3) return slug;
    var parts = [], town = (model && model.municipality) || {};
    var pref = typeof town.prefecture === "string" ? lookupPrefecture(town.prefecture) : null;
    if (pref) D.prefectures.forEach(function (p) { if (p.name === pref) parts.push(p.romaji); });
    if (typeof town.kind === "string" && town.kind) parts.push(town.kind.replace(/_/g, "-"));
    var started = (model && model.started_by) || {};
    if (typeof started.field === "string" && started.field) parts.push(started.field.replace(/_/g, "-"));
    if (slug) parts.push(slug);
    return parts.join("-").replace(/[^a-z0-9-]/g, "") || "";
  }

  // ------------------------------------------------------------ the page

  var state = { model: {}, body: D.body_template, slug: "", slugTyped: false, findings: [] };
  var root, fieldMessages = {}, listRenderers = {};

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (name === "text") node.textContent = attrs[name];
      else if (name.slice(0, 2) === "on") node.addEventListener(name.slice(2), attrs[name]);
      else if (attrs[name] !== null && attrs[name] !== undefined && attrs[name] !== false) node.setAttribute(name, attrs[name] === true ? "" : attrs[name]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(typeof child === "string" ? document.createTextNode(child) : child); });
    return node;
  }

  function idFor(name) { return "ns-f-" + name.replace(/[^a-z0-9_]+/gi, "-").replace(/-+$/, ""); }

  function getAt(obj, path) {
    for (var i = 0; i < path.length; i++) { if (obj === null || typeof obj !== "object") return undefined; obj = obj[path[i]]; }
    return obj;
  }

  function setAt(path, value) {
    var obj = state.model;
    for (var i = 0; i < path.length - 1; i++) {
      var next = obj[path[i]];
      if (next === null || typeof next !== "object") next = obj[path[i]] = typeof path[i + 1] === "number" ? [] : {};
      obj = next;
    }
    obj[path[path.length - 1]] = value;
  }

  function displayName(path) {
    var out = "";
    path.forEach(function (part) { out += typeof part === "number" ? "[" + (part + 1) + "]" : (out ? "." : "") + part; });
    return out;
  }

  function badge(key) {
    return el("span", { "class": key.required ? "ns-ed-req" : "ns-ed-opt", text: key.required ? "必須" : "任意" });
  }

  function fieldShell(key, name, control, extra) {
    var id = idFor(name);
    var help = el("p", { "class": "ns-ed-help", id: id + "-help" }, [key.help || "", key.example ? el("span", { "class": "ns-ed-example", text: "（例: " + key.example + "）" }) : null]);
    var messages = el("div", { "class": "ns-ed-msgs", id: id + "-msgs" });
    fieldMessages[name] = { box: messages, control: control };
    control.setAttribute("aria-describedby", id + "-help " + id + "-msgs" + (extra ? " " + extra.id : ""));
    var label = el("label", { "for": control.id }, [key.label + " ", badge(key), " ", el("code", { "class": "ns-ed-key", text: key.name })]);
    return el("div", { "class": "ns-ed-field", "data-field": name }, [label, help, control, extra, messages]);
  }

  function onValue(path, read) {
    return function (event) { setAt(path, read(event.target)); changed(); };
  }

  function scalarWidget(key, path) {
    var name = displayName(path), id = idFor(name), current = getAt(state.model, path);
    var text = typeof current === "string" ? current : "";
    var control, extra = null;
    if (key.type === "enum" || key.type === "prefecture") {
      var options = key.type === "enum"
        ? D.vocabs[key.vocab].terms.map(function (t) { return [t.id, t.label + "（" + t.id + "）"]; })
        : D.prefectures.map(function (p) { return [p.name, p.name]; });
      if (text && !options.some(function (o) { return o[0] === text; })) options.unshift([text, "「" + text + "」（ファイルの値）"]);
      control = el("select", { id: id, name: name, onchange: onValue(path, function (t) { return t.value; }) },
        [el("option", { value: "", text: key.required ? "選んでください" : "（書かない）" })].concat(options.map(function (o) {
          return el("option", { value: o[0], text: o[1], selected: o[0] === text });
        })));
    } else if (key.type === "boolean") {
      control = el("input", { type: "checkbox", id: id, name: name, checked: BOOL_TRUE.test(text), oninput: onValue(path, function (t) { return t.checked ? "true" : ""; }) });
    } else {
      var multi = key.type === "string" && (!key.max_len || key.max_len > 200);
      control = el(multi ? "textarea" : "input", {
        id: id, name: name, type: multi ? null : "text", rows: multi ? 3 : null, autocomplete: "off",
        inputmode: key.type === "positive_integer" ? "numeric" : null,
        placeholder: key.type === "day" ? "YYYY-MM-DD" : null,
        oninput: onValue(path, function (t) { return t.value; })
      });
      control.value = text;
      if (key.type === "period" || key.type === "day") extra = el("p", { "class": "ns-ed-read", id: id + "-read" });
      if (key.type === "day") {
        var today = el("button", { type: "button", "class": "ns-ed-small", text: "今日の日付にする", onclick: function () {
          var now = new Date();
          control.value = now.getFullYear() + "-" + pad(now.getMonth() + 1, 2) + "-" + pad(now.getDate(), 2);
          setAt(path, control.value); changed();
        } });
        extra = el("div", { id: id + "-extra" }, [today, extra]);
        extra.read = extra.lastChild;
      }
    }
    var shell = fieldShell(key, name, control, extra);
    if (extra) fieldMessages[name].read = extra.read || extra;
    fieldMessages[name].period = key.type === "period" || key.type === "day";
    return shell;
  }

  function checkboxList(key, path) {
    var name = displayName(path), id = idFor(name);
    var vocab = D.vocabs[key.item.vocab];
    var boxes = vocab.terms.map(function (t) {
      var boxId = id + "-" + t.id;
      var current = getAt(state.model, path);
      var box = el("input", { type: "checkbox", id: boxId, value: t.id, checked: Array.isArray(current) && current.indexOf(t.id) >= 0, onchange: function (event) {
        var list = getAt(state.model, path);
        list = Array.isArray(list) ? list.slice() : [];
        if (event.target.checked) { if (list.indexOf(t.id) < 0) list.push(t.id); } else list = list.filter(function (v) { return v !== t.id; });
        setAt(path, list.length ? list : ""); changed();
      } });
      return el("div", { "class": "ns-ed-check" }, [box, el("label", { "for": boxId, text: t.label })]);
    });
    var messages = el("div", { "class": "ns-ed-msgs", id: id + "-msgs" });
    var fieldset = el("fieldset", { "class": "ns-ed-group ns-ed-checks", id: id, "aria-describedby": id + "-help " + id + "-msgs", tabindex: "-1" }, [
      el("legend", {}, [key.label + " ", badge(key), " ", el("code", { "class": "ns-ed-key", text: key.name })]),
      el("p", { "class": "ns-ed-help", id: id + "-help", text: key.help || "" }),
      el("div", { "class": "ns-ed-checkgrid" }, boxes), messages
    ]);
    fieldMessages[name] = { box: messages, control: fieldset };
    return fieldset;
  }

  function linesList(key, path) {
    var name = displayName(path), id = idFor(name), current = getAt(state.model, path);
    var control = el("textarea", { id: id, name: name, rows: 3, oninput: onValue(path, function (t) {
      var items = t.value.split("\n").map(function (s) { return s.trim(); }).filter(Boolean);
      return items.length ? items : "";
    }) });
    control.value = Array.isArray(current) ? current.filter(function (v) { return typeof v === "string"; }).join("\n") : "";
    var shell = fieldShell({ label: key.label, help: (key.help ? key.help + "。" : "") + "1行に1つずつ書きます", example: key.example, required: key.required, name: key.name }, name, control, null);
    return shell;
  }

  function mappingGroup(key, path) {
    var name = displayName(path), id = idFor(name || "root");
    var messages = el("div", { "class": "ns-ed-msgs", id: id + "-msgs" });
    var fieldset = el("fieldset", { "class": "ns-ed-group", id: id, tabindex: "-1", "aria-describedby": id + "-help " + id + "-msgs" }, [
      el("legend", {}, [key.label + " ", badge(key), " ", el("code", { "class": "ns-ed-key", text: key.name })]),
      el("p", { "class": "ns-ed-help", id: id + "-help", text: key.help || "" })
    ].concat(key.children.map(function (child) { return widget(child, path.concat(child.name)); })).concat([messages]));
    fieldMessages[name] = { box: messages, control: fieldset };
    return fieldset;
  }

  function repeatable(key, path) {
    var name = displayName(path), id = idFor(name);
    var items = el("div", { "class": "ns-ed-items" });
    var messages = el("div", { "class": "ns-ed-msgs", id: id + "-msgs" });
    var addButton = el("button", { type: "button", "class": "ns-ed-add", text: key.label + "を1件追加" });
    var fieldset = el("fieldset", { "class": "ns-ed-group ns-ed-repeat", id: id, tabindex: "-1", "aria-describedby": id + "-help " + id + "-msgs" }, [
      el("legend", {}, [key.label + " ", badge(key), " ", el("code", { "class": "ns-ed-key", text: key.name })]),
      el("p", { "class": "ns-ed-help", id: id + "-help", text: key.help || "" }), items, addButton, messages
    ]);
    function list() { var v = getAt(state.model, path); return Array.isArray(v) ? v : []; }
    function render(focusIndex) {
      Object.keys(fieldMessages).forEach(function (n) { if (n.indexOf(name + "[") === 0) delete fieldMessages[n]; });
      items.textContent = "";
      list().forEach(function (item, i) {
        var itemPath = path.concat(i), itemName = displayName(itemPath), itemId = idFor(itemName);
        var tools = el("div", { "class": "ns-ed-tools" }, [
          el("button", { type: "button", "class": "ns-ed-small", text: "上へ", disabled: i === 0, "aria-label": key.label + " " + (i + 1) + "件目を上へ", onclick: function () { move(i, -1); } }),
          el("button", { type: "button", "class": "ns-ed-small", text: "下へ", disabled: i === list().length - 1, "aria-label": key.label + " " + (i + 1) + "件目を下へ", onclick: function () { move(i, 1); } }),
          el("button", { type: "button", "class": "ns-ed-small ns-ed-remove", text: "削除", "aria-label": key.label + " " + (i + 1) + "件目を削除", onclick: function () { remove(i); } })
        ]);
        var content;
        if (key.item.type === "mapping" && isMap(item)) content = key.item.children.map(function (child) { return widget(child, itemPath.concat(child.name)); });
        else if (key.item.type === "mapping") content = [el("p", { "class": "ns-ed-raw", text: "この項目は形が違うため、そのまま保存します: " + JSON.stringify(item) })];
        else content = [scalarWidget(key.item, itemPath)];
        var itemMessages = el("div", { "class": "ns-ed-msgs", id: itemId + "-msgs" });
        fieldMessages[itemName] = { box: itemMessages, control: null };
        items.appendChild(el("fieldset", { "class": "ns-ed-item", id: itemId }, [el("legend", { text: key.label + " " + (i + 1) })].concat(content).concat([itemMessages, tools])));
      });
      if (focusIndex !== undefined) {
        var target = items.children[focusIndex];
        var focusable = target && target.querySelector("input, textarea, select");
        (focusable || addButton).focus();
      }
    }
    function move(i, step) {
      var v = list().slice(), j = i + step;
      var t = v[i]; v[i] = v[j]; v[j] = t;
      setAt(path, v); render(j); changed();
    }
    function remove(i) {
      var v = list().slice(); v.splice(i, 1);
      setAt(path, v.length ? v : ""); render(Math.min(i, v.length - 1) < 0 ? undefined : Math.min(i, v.length - 1));
      if (!v.length) addButton.focus();
      announce(key.label + "の " + (i + 1) + "件目を削除しました");
      changed();
    }
    addButton.addEventListener("click", function () {
      var v = list().slice();
      v.push(key.item.type === "mapping" ? {} : "");
      setAt(path, v); render(v.length - 1); changed();
    });
    listRenderers[name] = render;
    fieldMessages[name] = { box: messages, control: fieldset };
    render();
    return fieldset;
  }

  function widget(key, path) {
    if (key.type === "mapping") return mappingGroup(key, path);
    if (key.type === "list") {
      if (key.item.type === "mapping") return repeatable(key, path);
      if (key.item.type === "enum") return checkboxList(key, path);
      return linesList(key, path);
    }
    return scalarWidget(key, path);
  }

  // ---- messages, preview, drafts

  var liveRegion, summaryBox, draftStatus, unknownBox, previewBox, slugInput, slugMsgs, saveStatus;

  function announce(text) {
    liveRegion.textContent = "";
    window.setTimeout(function () { liveRegion.textContent = text; }, 30);
  }

  function fieldFor(name) {
    var n = name;
    while (n) {
      if (fieldMessages[n]) return n;
      var cut = Math.max(n.lastIndexOf("."), n.lastIndexOf("["));
      n = cut > 0 ? n.slice(0, cut) : "";
    }
    return "";
  }

  function showFindings() {
    var found = check(state.model, state.body);
    var slugChecker = new Checker();
    slugFinding(slugChecker, currentSlug());
    found = found.concat(slugChecker.findings);
    state.findings = found;
    Object.keys(fieldMessages).forEach(function (n) {
      var f = fieldMessages[n];
      f.box.textContent = "";
      if (f.control) f.control.removeAttribute("aria-invalid");
    });
    slugMsgs.textContent = "";
    var bodyMsgs = document.getElementById("ns-ed-body-msgs");
    bodyMsgs.textContent = "";
    found.forEach(function (f) {
      var line = el("p", { "class": "ns-ed-msg ns-ed-msg--" + f.severity }, [el("span", { "class": "ns-ed-sev", text: (f.severity === "error" ? "エラー" : "警告") + "[" + f.rule + "] " }), f.message]);
      if (f.field === "slug") { slugMsgs.appendChild(line); return; }
      if (f.field === "body") { bodyMsgs.appendChild(line); return; }
      var target = fieldFor(f.field);
      var slot = fieldMessages[target];
      if (!slot) { unknownBox.querySelector(".ns-ed-msgs").appendChild(line); return; }
      slot.box.appendChild(line);
      if (slot.control && f.severity === "error") slot.control.setAttribute("aria-invalid", "true");
    });
    Object.keys(fieldMessages).forEach(function (n) {
      var f = fieldMessages[n];
      if (!f.read) return;
      var value = getAt(state.model, pathOf(n));
      f.read.textContent = "";
      if (typeof value !== "string" || !value.trim()) return;
      try {
        if (f.control && f.control.placeholder === "YYYY-MM-DD") { var d = DATETIME.exec(value) ? null : parseDay(value); if (d) f.read.textContent = "読み取り: " + (Math.floor(d / 10000)) + "年" + month(d) + "月" + dayOf(d) + "日"; }
        else f.read.textContent = "読み取り: " + periodLabel(parsePeriod(value));
      } catch (e) { f.read.textContent = "読み取れません"; }
    });
    var errors = found.filter(function (f) { return f.severity === "error"; }).length, warnings = found.length - errors;
    summaryBox.textContent = "";
    var head = errors || warnings
      ? "確認: エラー " + errors + " 件・警告 " + warnings + " 件（このままでは受け付けられません。各項目の下の説明に従って直してください）"
      : "確認: エラーも警告もありません。このまま「ファイルに保存」できます。";
    summaryBox.appendChild(el("p", { "class": "ns-ed-summary-head", text: head }));
    if (found.length) {
      summaryBox.appendChild(el("ul", {}, found.slice(0, 30).map(function (f) {
        var target = f.field === "slug" ? "ns-ed-slug" : f.field === "body" ? "ns-ed-body" : (fieldMessages[fieldFor(f.field)] && fieldMessages[fieldFor(f.field)].control || {}).id;
        return el("li", {}, [target ? el("a", { href: "#" + target, text: f.field || "フロントマター" }) : f.field, "：" + f.message]);
      })));
    }
    return { errors: errors, warnings: warnings };
  }

  function pathOf(name) {
    var path = [];
    name.replace(/([^.[\]]+)|\[(\d+)\]/g, function (m, key, index) { path.push(index !== undefined ? +index - 1 : key); return m; });
    return path;
  }

  function preview() {
    var m = state.model, town = isMap(m.municipality) ? m.municipality : {};
    function text(v) { return typeof v === "string" && v.trim() ? v.trim() : null; }
    function label(name, id) { var l = typeof id === "string" ? vocabLookup(name, id) : null; return l ? vocabLabel(name, l) : text(id); }
    function keyLabel(path) { var k = ROOT; path.split(".").forEach(function (p) { k = childOf(k, p) || k; }); return k.label; }
    var dl = el("dl", { "class": "ns-facts" });
    function row(name, value) { dl.appendChild(el("div", {}, [el("dt", { text: name }), el("dd", { text: value || "（記載なし）" })])); }
    var fieldsVocab = D.fields_vocab;
    var started = isMap(m.started_by) ? m.started_by : {};
    var pref = text(town.prefecture) ? lookupPrefecture(town.prefecture) || town.prefecture : null;
    row(keyLabel("municipality"), text(town.name) ? text(town.name) + (pref ? "（" + pref + "）" : "") : null);
    row("種類と規模", [label("kind", town.kind), text(town.population) ? "人口 " + town.population : null].filter(Boolean).join("・"));
    row(keyLabel("jusou"), label("jusou", m.jusou));
    row(keyLabel("status"), label("status", m.status));
    row(keyLabel("started_by"), label(fieldsVocab, started.field) ? label(fieldsVocab, started.field) + (text(started.through) ? "（" + keyLabel("started_by.through") + ": " + started.through.trim() + "）" : "") : null);
    function fieldList(v) { return Array.isArray(v) ? v.map(function (f) { return label(fieldsVocab, f); }).filter(Boolean).join("、") : null; }
    var fields = Array.isArray(m.fields) ? m.fields.slice() : [];
    var startedId = typeof started.field === "string" ? vocabLookup(fieldsVocab, started.field) : null;
    if (startedId && fields.map(function (f) { return vocabLookup(fieldsVocab, f); }).indexOf(startedId) < 0) fields.unshift(startedId);
    row(keyLabel("fields"), fieldList(fields));
    row(keyLabel("carried_by"), fieldList(m.carried_by));
    row(keyLabel("before"), text(m.before));
    row(keyLabel("updated"), text(m.updated));
    if (text(m.contributor)) row(keyLabel("contributor"), text(m.contributor));
    if (Array.isArray(m.tags) && m.tags.length) row(keyLabel("tags"), m.tags.join(" "));

    function periodOf(v) { try { return typeof v === "string" ? parsePeriod(v) : null; } catch (e) { return null; } }
    var timeline = (Array.isArray(m.timeline) ? m.timeline : []).filter(isMap).map(function (item) { return { when: periodOf(item.when), item: item }; }).filter(function (e) { return e.when; });
    var failures = (Array.isArray(m.failures) ? m.failures : []).filter(isMap);
    // As site/story_page.timeline_entries: each dated failure after the items that start on or before it.
    var slots = {};
    failures.forEach(function (failure, n) {
      var when = periodOf(failure.when);
      if (!when) return;
      var after = 0;
      timeline.forEach(function (e, i) { if (e.when.start <= when.start) after = i + 1; });
      (slots[after] = slots[after] || []).push({ when: when, failure: failure, number: n + 1 });
    });
    function sorted(list) { return (list || []).slice().sort(function (a, b) { return a.when.start - b.when.start; }); }
    var entries = sorted(slots[0]);
    timeline.forEach(function (e, i) { entries.push(e); entries = entries.concat(sorted(slots[i + 1])); });
    var ol = el("ol", { "class": "ns-timeline" }, entries.map(function (e) {
      var time = el("time", { "class": "ns-tl__when", datetime: periodIso(e.when), text: periodLabel(e.when) });
      if (e.failure) return el("li", { "class": "ns-tl ns-tl--failure" }, [time, " ", el("span", { "class": "ns-tl__kind", text: keyLabel("failures") }), el("p", { "class": "ns-tl__what", text: text(e.failure.what) || "" })]);
      var kind = typeof e.item.kind === "string" ? vocabLookup("timeline_kind", e.item.kind) : null;
      return el("li", { "class": kind ? "ns-tl ns-tl--" + kind : "ns-tl" }, [time, kind ? " " : null, kind ? el("span", { "class": "ns-tl__kind", text: vocabLabel("timeline_kind", kind) }) : null, el("p", { "class": "ns-tl__what", text: text(e.item.what) || "" })]);
    }));
    previewBox.textContent = "";
    previewBox.appendChild(el("p", { "class": "ns-ed-preview-title", text: text(m.title) || "（タイトル）" }));
    if (text(m.summary)) previewBox.appendChild(el("p", { "class": "ns-lead", text: text(m.summary) }));
    previewBox.appendChild(dl);
    previewBox.appendChild(el("h3", { text: keyLabel("timeline") }));
    previewBox.appendChild(entries.length ? ol : el("p", { "class": "ns-empty", text: "時期の読める経過はまだありません。" }));
    var undated = failures.filter(function (f) { return !periodOf(f.when) && text(f.what); });
    if (undated.length) {
      previewBox.appendChild(el("h3", { text: keyLabel("failures") + "（時期なし）" }));
      previewBox.appendChild(el("ul", {}, undated.map(function (f) { return el("li", { text: f.what }); })));
    }
  }

  function unknownContent() {
    var list = unknownBox.querySelector("ul");
    list.textContent = "";
    function walk(value, key, name) {
      if (!isMap(value)) return;
      Object.keys(value).forEach(function (k) {
        var child = key && key.type === "mapping" ? childOf(key, k) : null;
        var path = name ? name + "." + k : k;
        if (key && key.type === "mapping" && !child) {
          var one = {}; one[k] = value[k];
          list.appendChild(el("li", {}, [el("code", { text: path }), el("pre", { text: emitMapping(one, null, 0).join("\n") })]));
        } else if (child && child.type === "mapping") walk(value[k], child, path);
        else if (child && child.type === "list" && child.item.type === "mapping" && Array.isArray(value[k])) {
          value[k].forEach(function (item, i) { walk(item, child.item, path + "[" + (i + 1) + "]"); });
        }
      });
    }
    walk(state.model, ROOT, "");
    unknownBox.hidden = !list.children.length;
  }

  var draftTimer = null;
  function saveDraft() {
    try {
      window.localStorage.setItem(DRAFT_KEY, JSON.stringify({ model: state.model, body: state.body, slug: state.slug, slugTyped: state.slugTyped, saved: new Date().toISOString() }));
      var now = new Date();
      draftStatus.textContent = "下書きを保存しました（" + pad(now.getHours(), 2) + ":" + pad(now.getMinutes(), 2) + "。このパソコンのブラウザの中だけに保存されます）";
    } catch (e) {
      draftStatus.textContent = "このブラウザでは下書きを保存できません。こまめに「ファイルに保存」を押してください。";
    }
  }

  function currentSlug() { return state.slugTyped ? state.slug : (suggestSlug(state.model) || "my-story"); }

  function changed() {
    if (!state.slugTyped) slugInput.value = currentSlug();
    showFindings();
    preview();
    unknownContent();
    window.clearTimeout(draftTimer);
    draftTimer = window.setTimeout(saveDraft, 400);
  }

  // ---- building the page

  function renderForm() {
    fieldMessages = {}; listRenderers = {};
    var form = document.getElementById("ns-ed-fields");
    form.textContent = "";
    ROOT.children.forEach(function (key) { form.appendChild(widget(key, [key.name])); });
    document.getElementById("ns-ed-body").value = state.body;
    slugInput.value = currentSlug();
  }

  function loadFile(file) {
    var reader = new FileReader();
    reader.onload = function () {
      try {
        var story = readStory(String(reader.result));
        state.model = story.model; state.body = story.body;
        var stem = file.name.replace(/\.[^.]*$/, "");
        state.slug = stem; state.slugTyped = true;
        renderForm(); changed();
        announce("「" + file.name + "」を開きました。" + (story.comments ? "ファイルの中のコメント（# のあとの説明）は、保存し直すと消えます。" : ""));
      } catch (e) {
        announce("「" + file.name + "」を開けませんでした: " + e.message);
      }
    };
    reader.onerror = function () { announce("「" + file.name + "」を読めませんでした"); };
    reader.readAsText(file, "utf-8");
  }

  function saveFile() {
    var counts = showFindings();
    var slug = currentSlug();
    var text = emitStory(state.model, state.body);
    var blob = new Blob([text], { type: "text/markdown;charset=utf-8" });
    var url = URL.createObjectURL(blob);
    var link = el("a", { href: url, download: slug + ".md", hidden: true });
    document.body.appendChild(link);
    link.click();
    window.setTimeout(function () { URL.revokeObjectURL(url); link.remove(); }, 1000);
    var message = "「" + slug + ".md」を保存しました（ブラウザのダウンロードのフォルダを見てください）。" +
      (counts.errors || counts.warnings ? "まだエラー " + counts.errors + " 件・警告 " + counts.warnings + " 件があります。直してから届けてください。" : "下の「保存したファイルの届け方」に進んでください。");
    saveStatus.textContent = message;
    announce(message);
  }

  function newStory() {
    state.model = {}; state.body = D.body_template; state.slug = ""; state.slugTyped = false;
    renderForm(); changed();
  }

  function build() {
    root = document.getElementById("ns-editor");
    if (!root || !D || !window.jsyaml) return;
    liveRegion = el("div", { "class": "ns-ed-live", role: "status", "aria-live": "polite" });
    draftStatus = el("p", { "class": "ns-ed-draft", id: "ns-ed-draft" });
    summaryBox = el("div", { "class": "ns-ed-summary", id: "ns-ed-summary", role: "region", "aria-label": "確認の結果", "aria-live": "polite" });
    unknownBox = el("section", { "class": "ns-ed-unknown", id: "ns-ed-unknown", hidden: true, "aria-labelledby": "ns-ed-unknown-title" }, [
      el("h2", { id: "ns-ed-unknown-title", text: "このフォームにない項目（そのまま保存します）" }),
      el("p", { text: "開いたファイルには、このフォームで扱わない項目がありました。消さずに、そのままファイルに書き戻します。" }),
      el("ul"), el("div", { "class": "ns-ed-msgs" })
    ]);
    previewBox = el("div", { "class": "ns-ed-preview", id: "ns-ed-preview" });
    var fileInput = el("input", { type: "file", id: "ns-ed-open", accept: ".md,.markdown,.txt,text/markdown,text/plain", onchange: function (e) { if (e.target.files[0]) loadFile(e.target.files[0]); e.target.value = ""; } });
    slugInput = el("input", { type: "text", id: "ns-ed-slug", autocomplete: "off", spellcheck: "false", "aria-describedby": "ns-ed-slug-help ns-ed-slug-msgs", oninput: function (e) {
      state.slug = e.target.value.trim(); state.slugTyped = state.slug !== ""; changed();
    } });
    slugMsgs = el("div", { "class": "ns-ed-msgs", id: "ns-ed-slug-msgs" });
    saveStatus = el("p", { "class": "ns-ed-saved", id: "ns-ed-saved" });
    var body = el("textarea", { id: "ns-ed-body", rows: 16, "aria-describedby": "ns-ed-body-help ns-ed-body-msgs", oninput: function (e) { state.body = e.target.value; changed(); } });

    root.appendChild(el("div", { "class": "ns-ed-bar" }, [
      el("div", { "class": "ns-ed-open" }, [el("label", { "for": "ns-ed-open", text: "ファイルを開く（書きかけ・保存済みの物語のファイル .md）" }), fileInput]),
      el("button", { type: "button", id: "ns-ed-delete", text: "下書きを削除して、新しく書く", onclick: function () {
        try { window.localStorage.removeItem(DRAFT_KEY); } catch (e) { /* nothing stored */ }
        newStory();
        window.clearTimeout(draftTimer);
        draftStatus.textContent = "下書きを削除しました。";
        announce("下書きを削除しました");
      } }),
      draftStatus
    ]));
    root.appendChild(el("div", { "class": "ns-ed-layout" }, [
      el("form", { "class": "ns-ed-form", id: "ns-ed-form", "aria-label": "物語の項目", onsubmit: function (e) { e.preventDefault(); } }, [
        el("div", { id: "ns-ed-fields" }),
        el("div", { "class": "ns-ed-field" }, [
          el("label", { "for": "ns-ed-body", text: "本文（Markdown。見出しの下に文章で書きます）" }),
          el("p", { "class": "ns-ed-help", id: "ns-ed-body-help", text: "<!-- と --> で囲んだ部分は書き方の説明です。残しても消してもかまいません。" }),
          body, el("div", { "class": "ns-ed-msgs", id: "ns-ed-body-msgs" })
        ]),
        unknownBox,
        el("section", { "class": "ns-ed-save", "aria-labelledby": "ns-ed-save-title" }, [
          el("h2", { id: "ns-ed-save-title", text: "ファイルに保存" }),
          el("label", { "for": "ns-ed-slug", text: "ファイル名（.md の前の部分）" }),
          el("p", { "class": "ns-ed-help", id: "ns-ed-slug-help", text: "ページの URL になります。半角の小文字英数字とハイフンだけで書きます（例: kaku-city-education）。タイトルがかなのときはローマ字で、それ以外は都道府県・自治体の種類・始めた分野から作った名前を入れてあります。書きかえてもかまいません。" }),
          slugInput, slugMsgs,
          el("button", { type: "button", id: "ns-ed-save", "class": "ns-ed-primary", text: "ファイルに保存", onclick: saveFile }),
          saveStatus
        ]),
        summaryBox
      ]),
      el("aside", { "class": "ns-ed-side", "aria-labelledby": "ns-ed-preview-head", "tabindex": "0" }, [
        el("h2", { id: "ns-ed-preview-head", text: "プレビュー（物語のページの概要と経過）" }), previewBox
      ])
    ]));
    root.appendChild(liveRegion);

    var draft = null;
    try { draft = JSON.parse(window.localStorage.getItem(DRAFT_KEY) || "null"); } catch (e) { draft = null; }
    if (draft && isMap(draft.model)) {
      state.model = draft.model; state.body = typeof draft.body === "string" ? draft.body : D.body_template;
      state.slug = draft.slug || ""; state.slugTyped = !!draft.slugTyped;
      draftStatus.textContent = "前回の下書きを読み込みました（" + String(draft.saved || "").replace("T", " ").slice(0, 16) + " UTC）。";
    }
    renderForm();
    if (!state.slugTyped) slugInput.value = currentSlug();
    showFindings(); preview(); unknownContent();
    root.setAttribute("data-state", "ready");
  }

  window.NorishiroEditor = { check: check, emit: emitStory, read: readStory, parsePeriod: parsePeriod, periodLabel: periodLabel, romanise: romanise, suggestSlug: suggestSlug, privacyLine: privacyLine, state: state };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", build); else build();
})();
