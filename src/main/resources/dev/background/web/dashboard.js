// vertx-background dashboard: the script of dashboard.html, served by the router next to it
// (GET dashboard.js), so that the page's Content-Security-Policy allows no inline script
// (script-src 'self'). It polls "tasks" relative to the page's URL every second, so it works
// under any mount point. Task data is only ever written with textContent, never parsed as HTML.
(function () {
  'use strict';
  var POLL_MS = 1000;
  var STALE_MS = 3500;
  var ORDER = ['RUNNING', 'BACKING_OFF', 'PENDING', 'PAUSED', 'COMPLETED', 'FAILED', 'GAVE_UP', 'CANCELLED'];
  var rows = document.getElementById('rows');
  var main = document.getElementById('main');
  var empty = document.getElementById('empty');
  var summary = document.getElementById('summary');
  var conn = document.getElementById('conn');
  var connText = document.getElementById('conn-text');
  var filter = document.getElementById('filter');
  var byName = new Map();
  var data = [];
  var offset = 0;          // server clock minus browser clock, in ms
  var lastOk = 0;
  var lastError = '';

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  function serverNow() { return Date.now() + offset; }

  function seconds(ms) {
    if (ms < 0) { ms = 0; }
    if (ms < 10000) { return (ms / 1000).toFixed(1) + ' s'; }
    var s = Math.round(ms / 1000);
    if (s < 120) { return s + ' s'; }
    var m = Math.floor(s / 60);
    if (m < 120) { return m + ' min ' + (s % 60) + ' s'; }
    return Math.floor(m / 60) + ' h ' + (m % 60) + ' min';
  }

  function ago(iso) {
    if (!iso) { return ''; }
    return seconds(serverNow() - Date.parse(iso)) + ' ago';
  }

  function simpleType(type) {
    if (!type) { return ''; }
    var i = type.lastIndexOf('.');
    return i < 0 ? type : type.substring(i + 1);
  }

  function cell(row, field, label, cls) {
    var td = el('td', cls);
    td.setAttribute('data-field', field);
    td.setAttribute('data-label', label);
    row.appendChild(td);
    return td;
  }

  function makeRow(name) {
    var tr = el('tr');
    tr.setAttribute('data-task', name);
    var r = { tr: tr };
    r.task = cell(tr, 'task', 'Task');
    r.state = cell(tr, 'state', 'State');
    r.runs = cell(tr, 'runs', 'Runs', 'num');
    r.restarts = cell(tr, 'restarts', 'Restarts', 'num');
    r.failures = cell(tr, 'failures', 'Failures', 'num');
    r.next = cell(tr, 'next', 'Next restart', 'next');
    r.error = cell(tr, 'error', 'Last error', 'err');
    r.history = cell(tr, 'history', 'Recent runs');
    r.key = {};
    return r;
  }

  /** Sets a cell's content only when its key changed, so hovering and selecting keep working. */
  function update(r, field, key, fill) {
    if (r.key[field] === key) { return; }
    r.key[field] = key;
    var td = r[field];
    while (td.firstChild) { td.removeChild(td.firstChild); }
    fill(td);
  }

  function renderTask(r, t) {
    var where = t.node && t.node !== 'local' ? t.node : '';
    var holder = t.holder ? (t.holder === t.node ? 'singleton holder' : 'standby for ' + t.holder) : '';
    update(r, 'task', t.name + '|' + t.kind + '|' + t.paused + '|' + where + '|' + holder, function (td) {
      var line = el('div');
      line.appendChild(el('span', 'name', t.shortName || t.name));
      line.appendChild(el('span', 'kind', t.kind));
      td.appendChild(line);
      if (where) {
        var node = el('div', 'full node', 'node ' + where + (holder ? ' · ' + holder : ''));
        node.setAttribute('data-node', where);
        td.appendChild(node);
      }
      if (t.shortName && t.shortName !== t.name) { td.appendChild(el('div', 'full', t.name)); }
      td.title = t.name;
    });
    var label = t.state.replace('_', ' ') + (t.paused && t.state !== 'PAUSED' ? ' (pausing)' : '');
    update(r, 'state', label, function (td) {
      var b = el('span', 'badge s-' + t.state, label);
      b.setAttribute('data-state', t.state);
      td.appendChild(b);
    });
    update(r, 'runs', t.runs, function (td) { td.textContent = t.runs; });
    update(r, 'restarts', t.restarts, function (td) { td.textContent = t.restarts; });
    update(r, 'failures', t.failures + '|' + t.consecutiveFailures, function (td) {
      td.textContent = t.failures;
      if (t.consecutiveFailures > 0) { td.className = 'num fail'; td.title = t.consecutiveFailures + ' in a row'; }
      else { td.className = 'num'; td.title = ''; }
    });
    var e = t.lastError;
    update(r, 'error', e ? e.type + '|' + e.message + '|' + e.at : '', function (td) {
      if (!e) { td.appendChild(el('span', 'muted', '—')); return; }
      var text = simpleType(e.type) + (e.message ? ': ' + e.message : '');
      var box = el('div', 'errbox');
      var msg = el('div', 'msg', text);
      msg.title = e.type + (e.message ? ': ' + e.message : '') + '\n' + e.at;
      box.appendChild(msg);
      var when = el('div', 'when');
      when.setAttribute('data-at', e.at);
      box.appendChild(when);
      td.appendChild(box);
    });
    var h = t.history || [];
    var last = h.length ? h[h.length - 1] : null;
    update(r, 'history', h.length + '|' + (last ? last.startedAt + last.outcome : ''), function (td) {
      if (!h.length) { td.appendChild(el('span', 'muted', '—')); return; }
      var strip = el('div', 'strip');
      for (var i = 0; i < h.length; i++) {
        var run = h[i];
        var box = el('span', 'run ' + run.outcome);
        box.setAttribute('data-outcome', run.outcome);
        box.title = run.startedAt + ' · ' + run.durationMs + ' ms · ' + run.outcome
          + (run.error ? ' · ' + simpleType(run.error.type) + (run.error.message ? ': ' + run.error.message : '') : '');
        strip.appendChild(box);
      }
      td.appendChild(strip);
    });
    r.task_ = t;
  }

  /** The parts that move with the clock: countdowns and "ago". */
  function tick() {
    byName.forEach(function (r) {
      var t = r.task_;
      var text;
      if (t.nextRunAt) {
        var ms = Date.parse(t.nextRunAt) - serverNow();
        var left = ms > 0 ? seconds(ms) : '';
        text = t.state === 'PAUSED' ? (left ? 'paused (was due in ' + left + ')' : 'paused (due)')
          : !left ? 'due now' : t.state === 'PENDING' ? 'starts in ' + left : 'in ' + left;
      } else {
        text = '—';
      }
      if (r.next.textContent !== text) { r.next.textContent = text; }
      var when = r.error.querySelector('.when');
      if (when) { when.textContent = ago(when.getAttribute('data-at')); }
    });
    var stale = lastOk > 0 && Date.now() - lastOk > STALE_MS;
    main.className = stale ? 'stale' : '';
    if (!lastOk) {
      conn.className = lastError ? 'down' : '';
      connText.textContent = lastError ? 'cannot reach the server: ' + lastError : 'connecting…';
    } else if (stale) {
      conn.className = 'down';
      connText.textContent = 'disconnected for ' + seconds(Date.now() - lastOk) + (lastError ? ' (' + lastError + ')' : '') + '; retrying';
    } else {
      conn.className = 'live';
      connText.textContent = 'live · updated ' + new Date(lastOk + offset).toLocaleTimeString();
    }
  }

  function render() {
    var q = filter.value.trim().toLowerCase();
    var seen = new Set();
    var counts = {};
    var shown = 0;
    data.forEach(function (t) {
      counts[t.state] = (counts[t.state] || 0) + 1;
      if (q && t.name.toLowerCase().indexOf(q) < 0) { return; }
      // In a cluster one name can run on several nodes: a row per name and node.
      var key = t.name + '\u0000' + (t.node || '');
      seen.add(key);
      var r = byName.get(key);
      if (!r) { r = makeRow(t.name); byName.set(key, r); }
      renderTask(r, t);
      rows.appendChild(r.tr);    // appends new rows and keeps the server's order (sorted by name)
      shown++;
    });
    byName.forEach(function (r, name) {
      if (!seen.has(name)) { r.tr.remove(); byName.delete(name); }
    });
    empty.hidden = shown > 0;
    empty.textContent = data.length ? 'No task matches the filter.' : 'No tasks yet.';
    while (summary.firstChild) { summary.removeChild(summary.firstChild); }
    summary.appendChild(el('span', 'chip', data.length + (data.length === 1 ? ' task' : ' tasks')));
    ORDER.forEach(function (s) {
      if (counts[s]) { summary.appendChild(el('span', 'chip s-' + s, counts[s] + ' ' + s.replace('_', ' '))); }
    });
    var dead = counts.GAVE_UP || 0;
    document.title = (dead ? '(' + dead + ' gave up) ' : '') + 'Background tasks';
    tick();
  }

  function poll() {
    var sent = Date.now();
    fetch('tasks', { cache: 'no-store', headers: { 'Accept': 'application/json' } })
      .then(function (res) {
        if (!res.ok) { throw new Error('HTTP ' + res.status); }
        var server = Number(res.headers.get('X-Server-Time'));
        return res.json().then(function (json) {
          var got = Date.now();
          if (server > 0) { offset = server - (sent + got) / 2; }
          if (!Array.isArray(json)) { throw new Error('unexpected answer'); }
          data = json;
          lastOk = got;
          lastError = '';
          render();
        });
      })
      .catch(function (err) {
        lastError = err && err.message ? err.message : String(err);
        tick();
      })
      .then(function () { setTimeout(poll, POLL_MS); });
  }

  filter.addEventListener('input', render);
  setInterval(tick, 200);
  poll();
})();
