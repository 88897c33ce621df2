// vertx-background dashboard: the script of dashboard.html, served by the router next to it
// (GET dashboard.js), so that the page's Content-Security-Policy allows no inline script
// (script-src 'self'). It polls "tasks" and "health" relative to the page's URL every second, so
// it works under any mount point; it asks "control" whether it may act, and posts actions to
// "tasks/<name>/<action>". Task data is only ever written with textContent, never parsed as HTML.
// A control token is kept in sessionStorage (this tab only) and sent in the Authorization header,
// never in a URL.
(function () {
  'use strict';
  var POLL_MS = 1000;
  var STALE_MS = 3500;
  var PAGE_SIZE = 500;
  var CONTROL_EVERY = 15;   // polls between two looks at "control" (a session may end)
  var TOKEN_KEY = 'vertx-background.controlToken';
  var SORT_KEY = 'vertx-background.sort';
  // The summary's order: every state, STANDBY and SCHEDULED included.
  var ORDER = ['GAVE_UP', 'FAILED', 'BACKING_OFF', 'PAUSED', 'STANDBY', 'PENDING', 'RUNNING',
    'SCHEDULED', 'COMPLETED', 'CANCELLED'];
  var FINISHED = { COMPLETED: true, FAILED: true, GAVE_UP: true, CANCELLED: true };
  var LABELS = { pause: 'Pause', resume: 'Resume', restart: 'Restart now', start: 'Start',
    trigger: 'Trigger', cancel: 'Cancel' };
  var DONE = { pause: 'paused', resume: 'resumed', restart: 'restarted', start: 'started',
    trigger: 'triggered', cancel: 'cancelled' };

  var $ = function (id) { return document.getElementById(id); };
  var rows = $('rows');
  var main = $('main');
  var empty = $('empty');
  var summary = $('summary');
  var conn = $('conn');
  var connText = $('conn-text');
  var filter = $('filter');
  var sortButton = $('sort');
  var tokenButton = $('token-button');
  var tokenPanel = $('token-panel');
  var tokenInput = $('token-input');
  var notice = $('notice');
  var banner = $('health-banner');
  var bannerReasons = $('health-reasons');
  var detail = $('detail');
  var pager = $('pager');

  var byName = new Map();
  var data = [];
  var offset = 0;          // server clock minus browser clock, in ms
  var lastOk = 0;
  var lastError = '';
  var control = { mode: 'none', allowed: false };
  var token = read(TOKEN_KEY);
  var sortBy = read(SORT_KEY) === 'name' ? 'name' : 'severity';
  var afterToken = null;   // the action waiting for a token
  var cursor = null;       // the page shown: null for the first, else the name it starts after
  var cursors = [];        // the cursors of the pages before it
  var next = null;         // the cursor of the next page, null when this is the last
  var paged = false;
  var healthCounts = null; // counts by state from "health", for a paged list
  var summaryCounts = null;
  var summarySupported = true;
  var openTask = null;     // {name, node} of the detail view
  var openDetail = null;
  var polls = 0;
  var pollTimer = 0;
  var polling = false;
  var pollAgain = false;

  function read(key) {
    try { return window.sessionStorage.getItem(key); } catch (e) { return null; }
  }

  function write(key, value) {
    try {
      if (value === null) { window.sessionStorage.removeItem(key); }
      else { window.sessionStorage.setItem(key, value); }
    } catch (e) { /* storage off: kept in memory only */ }
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  function clear(node) {
    while (node.firstChild) { node.removeChild(node.firstChild); }
  }

  function serverNow() { return Date.now() + offset; }

  function seconds(ms) {
    if (ms < 0) { ms = 0; }
    if (ms < 10000) { return (ms / 1000).toFixed(1) + ' s'; }
    var s = Math.round(ms / 1000);
    if (s < 120) { return s + ' s'; }
    var m = Math.floor(s / 60);
    if (m < 120) { return m + ' min ' + (s % 60) + ' s'; }
    var h = Math.floor(m / 60);
    if (h < 48) { return h + ' h ' + (m % 60) + ' min'; }
    return Math.floor(h / 24) + ' d ' + (h % 24) + ' h';
  }

  function duration(ms) {
    if (ms === null || ms === undefined) { return ''; }
    return ms < 1000 ? ms + ' ms' : seconds(ms);
  }

  function ago(iso) {
    if (!iso) { return ''; }
    var ms = serverNow() - Date.parse(iso);
    return ms < 0 ? 'in ' + seconds(-ms) : seconds(ms) + ' ago';
  }

  /** A time and how long ago it was; tick() keeps the "ago" part current. */
  function when(iso) {
    if (!iso) { return '—'; }
    var span = el('span', null, new Date(Date.parse(iso)).toLocaleString() + ' (');
    var since = el('span', 'ago', ago(iso));
    since.setAttribute('data-at', iso);
    span.appendChild(since);
    span.appendChild(document.createTextNode(')'));
    return span;
  }

  function simpleType(type) {
    if (!type) { return ''; }
    var i = type.lastIndexOf('.');
    return i < 0 ? type : type.substring(i + 1);
  }

  function errorText(e) {
    return e ? simpleType(e.type) + (e.message ? ': ' + e.message : '') : '';
  }

  function stateLabel(t) {
    return t.state.replace('_', ' ') + (t.paused && t.state !== 'PAUSED' ? ' (pausing)' : '');
  }

  /** The request headers: the token, when there is one, in Authorization. */
  function headers(extra) {
    var h = { 'Accept': 'application/json' };
    if (token) { h.Authorization = 'Bearer ' + token; }
    if (extra) { Object.keys(extra).forEach(function (k) { h[k] = extra[k]; }); }
    return h;
  }

  function getJson(url, extraHeaders) {
    return fetch(url, { cache: 'no-store', headers: headers(extraHeaders) }).then(function (res) {
      return res.json().then(function (body) { return { res: res, body: body }; },
        function () { return { res: res, body: null }; });
    });
  }

  // ---------------------------------------------------------------- messages and banner

  function say(kind, text) {
    notice.hidden = false;
    notice.className = kind;
    notice.textContent = text;
  }

  function renderHealth(body) {
    var down = body && body.status === 'DOWN';
    banner.hidden = !down;
    if (!down) { return; }
    clear(bannerReasons);
    var reasons = Array.isArray(body.reasons) ? body.reasons : [];
    if (!reasons.length) { reasons = ['no reason given']; }
    reasons.forEach(function (r) { bannerReasons.appendChild(el('li', null, r)); });
  }

  // ---------------------------------------------------------------- control: token and actions

  function controlShown() {
    return control.mode === 'token' || (control.mode === 'user' && control.allowed);
  }

  function renderControl() {
    document.body.className = controlShown() ? '' : 'no-control';
    if (control.mode === 'token') {
      tokenButton.hidden = false;
      tokenButton.textContent = token ? 'Forget control token' : 'Enter control token';
    } else if (control.mode === 'user' && !control.allowed) {
      // An application whose users sign in with a bearer token (JWT) can paste it here.
      tokenButton.hidden = false;
      tokenButton.textContent = token ? 'Forget bearer token' : 'Use a bearer token';
    } else {
      tokenButton.hidden = !token;
      tokenButton.textContent = 'Forget bearer token';
    }
  }

  function lookAtControl() {
    return getJson('control').then(function (r) {
      if (r.res.ok && r.body && typeof r.body.mode === 'string') {
        control = { mode: r.body.mode, allowed: !!r.body.allowed };
      } else {
        control = { mode: 'none', allowed: false };
      }
      renderControl();
      byName.forEach(function (row) { row.key.actions = null; });
      if (data.length) { render(); }
    }, function () { /* the next poll tries again */ });
  }

  function askToken(then) {
    afterToken = then || null;
    $('token-label').textContent = control.mode === 'user' ? 'Bearer token' : 'Control token';
    tokenPanel.hidden = false;
    tokenInput.value = '';
    tokenInput.focus();
  }

  function forgetToken() {
    token = null;
    write(TOKEN_KEY, null);
    renderControl();
  }

  /** Checks the typed token with "control" before keeping it: a wrong one is said at once. */
  function useToken() {
    var typed = tokenInput.value.trim();
    if (!typed) { tokenInput.focus(); return; }
    getJson('control', { Authorization: 'Bearer ' + typed }).then(function (r) {
      var body = r.body || {};
      if (!r.res.ok) {
        say('error', r.res.status + ': ' + (body.error || 'the control check failed'));
        return;
      }
      if (!body.allowed) {
        say('error', (body.code || 403) + ': ' + (body.error || 'not allowed to control tasks'));
        tokenInput.value = '';
        tokenInput.focus();
        return;
      }
      token = typed;
      write(TOKEN_KEY, typed);
      tokenPanel.hidden = true;
      control = { mode: body.mode, allowed: true };
      renderControl();
      say('ok', 'Token accepted; it is kept for this browser tab only.');
      var then = afterToken;
      afterToken = null;
      byName.forEach(function (row) { row.key.actions = null; });
      render();
      if (then) { then(); }
    }, function (err) {
      say('error', 'the control check failed: ' + (err && err.message ? err.message : err));
    });
  }

  /** The actions that make sense for a task in its state; the server has the last word. */
  function actionsFor(t) {
    if (FINISHED[t.state]) { return ['start']; }
    var a = [];
    if (t.kind === 'SCHEDULE') { a.push('trigger'); }
    if (t.kind !== 'ONCE') {
      a.push(t.paused ? 'resume' : 'pause');
      if (t.kind === 'RUN' && (t.state === 'BACKING_OFF' || t.state === 'PENDING' || t.state === 'PAUSED')) {
        a.push('restart');
      }
    }
    a.push('cancel');
    return a;
  }

  function fillActions(td, t) {
    actionsFor(t).forEach(function (action) {
      var b = el('button', 'act', LABELS[action]);
      b.type = 'button';
      b.setAttribute('data-action', action);
      b.addEventListener('click', function () { act(t.name, action, b); });
      td.appendChild(b);
    });
  }

  function act(name, action, button) {
    if (action === 'cancel' && button && !button.classList.contains('confirm')) {
      // Cancel cannot be undone unless the task is declared: a second click confirms it.
      button.classList.add('confirm');
      button.textContent = 'Confirm cancel';
      setTimeout(function () {
        button.classList.remove('confirm');
        button.textContent = LABELS.cancel;
      }, 4000);
      return;
    }
    if (control.mode === 'token' && !token) {
      askToken(function () { act(name, action, null); });
      return;
    }
    if (button) { button.disabled = true; }
    fetch('tasks/' + encodeURIComponent(name) + '/' + action,
      { method: 'POST', cache: 'no-store', headers: headers() })
      .then(function (res) {
        return res.json().then(function (body) { return { res: res, body: body || {} }; },
          function () { return { res: res, body: {} }; });
      })
      .then(function (r) {
        if (r.res.ok) {
          var state = r.body.state ? stateLabel(r.body) : '';
          say('ok', name + ': ' + (r.res.status === 202
            ? action + ' requested; its run has not ended yet'
            : DONE[action]) + (state ? ' (now ' + state + ')' : ''));
        } else {
          say('error', r.res.status + ': ' + (r.body.error || r.res.statusText || 'refused'));
          if (r.res.status === 401 || r.res.status === 403) {
            if (control.mode === 'token') { forgetToken(); }
            lookAtControl();
          }
        }
        pollSoon();
      }, function (err) {
        say('error', action + ' ' + name + ' failed: ' + (err && err.message ? err.message : err));
      })
      .then(function () { if (button) { button.disabled = false; } });
  }

  // ---------------------------------------------------------------- the table

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
    r.next = cell(tr, 'next', 'Next', 'next');
    r.error = cell(tr, 'error', 'Last error', 'err');
    r.history = cell(tr, 'history', 'Recent runs');
    r.actions = cell(tr, 'actions', 'Actions', 'actions');
    r.key = {};
    return r;
  }

  /** Sets a cell's content only when its key changed, so hovering and selecting keep working. */
  function update(r, field, key, fill) {
    if (r.key[field] === key) { return; }
    r.key[field] = key;
    var td = r[field];
    clear(td);
    fill(td);
  }

  function renderTask(r, t) {
    var where = t.node && t.node !== 'local' ? t.node : '';
    var holder = t.holder ? (t.holder === t.node ? 'singleton holder' : 'standby for ' + t.holder) : '';
    var sched = t.schedule || null;
    var description = sched ? (sched.description || '') : '';
    update(r, 'task', [t.name, t.kind, where, holder, description, t.fires, t.missedFires,
      t.skippedFires].join('|'), function (td) {
      var line = el('div');
      var link = el('button', 'name-link', t.shortName || t.name);
      link.type = 'button';
      link.title = 'Details of ' + t.name;
      link.addEventListener('click', function () { openDetailView(t.name, t.node || ''); });
      line.appendChild(link);
      line.appendChild(el('span', 'kind', t.kind));
      td.appendChild(line);
      if (sched) {
        td.appendChild(el('div', 'sched', description)).setAttribute('data-schedule', '');
        var fires = el('div', 'fires');
        fires.setAttribute('data-fires', '');
        fires.appendChild(el('span', null, (t.fires || 0) + ' fired · '));
        fires.appendChild(el('span', t.missedFires ? 'warn' : null, (t.missedFires || 0) + ' missed'))
          .setAttribute('data-missed', String(t.missedFires || 0));
        fires.appendChild(el('span', null, ' · '));
        fires.appendChild(el('span', t.skippedFires ? 'warn' : null, (t.skippedFires || 0) + ' skipped'))
          .setAttribute('data-skipped', String(t.skippedFires || 0));
        td.appendChild(fires);
      }
      if (where) {
        var node = el('div', 'full node', 'node ' + where + (holder ? ' · ' + holder : ''));
        node.setAttribute('data-node', where);
        td.appendChild(node);
      }
      if (t.shortName && t.shortName !== t.name) { td.appendChild(el('div', 'full', t.name)); }
      td.title = t.name;
    });
    var label = stateLabel(t);
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
      var box = el('div', 'errbox');
      var msg = el('div', 'msg', errorText(e));
      msg.title = e.type + (e.message ? ': ' + e.message : '') + '\n' + e.at;
      box.appendChild(msg);
      var at = el('div', 'when');
      at.setAttribute('data-at', e.at);
      box.appendChild(at);
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
          + (run.error ? ' · ' + errorText(run.error) : '');
        strip.appendChild(box);
      }
      td.appendChild(strip);
    });
    update(r, 'actions', controlShown() ? t.state + '|' + t.kind + '|' + t.paused : '', function (td) {
      if (controlShown()) { fillActions(td, t); }
    });
    r.task_ = t;
  }

  /** The text of the "Next" cell: a restart's or a schedule's next fire, as a countdown. */
  function nextText(t) {
    if (t.kind === 'SCHEDULE' && !FINISHED[t.state]) {
      if (t.paused || t.state === 'PAUSED') { return 'paused'; }
      if (t.state === 'STANDBY') { return 'standing by'; }
      if (t.nextFireAt) {
        var ms = Date.parse(t.nextFireAt) - serverNow();
        return ms > 0 ? 'fires in ' + seconds(ms) : 'firing';
      }
      return t.state === 'RUNNING' ? 'running' : '—';
    }
    if (t.nextRunAt) {
      var left = Date.parse(t.nextRunAt) - serverNow();
      var text = left > 0 ? seconds(left) : '';
      return t.state === 'PAUSED' ? (text ? 'paused (was due in ' + text + ')' : 'paused (due)')
        : !text ? 'due now' : t.state === 'PENDING' ? 'starts in ' + text : 'in ' + text;
    }
    return '—';
  }

  /** The parts that move with the clock: countdowns and "ago". */
  function tick() {
    byName.forEach(function (r) {
      var text = nextText(r.task_);
      if (r.next.textContent !== text) { r.next.textContent = text; }
      var at = r.error.querySelector('.when');
      if (at) { at.textContent = ago(at.getAttribute('data-at')); }
    });
    if (openTask) {
      detail.querySelectorAll('.ago[data-at]').forEach(function (a) {
        var text = ago(a.getAttribute('data-at'));
        if (a.textContent !== text) { a.textContent = text; }
      });
    }
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

  /**
   * How urgent a task is, lowest first: gave up, failed, failing (failures in a row), paused,
   * standing by, pending, running or waiting for its next run, scheduled, completed, cancelled.
   */
  function severity(t) {
    if (t.state === 'GAVE_UP') { return 0; }
    if (t.state === 'FAILED') { return 1; }
    if (!FINISHED[t.state] && t.consecutiveFailures > 0) { return 2; }
    switch (t.state) {
      case 'PAUSED': return 3;
      case 'STANDBY': return 4;
      case 'PENDING': return 5;
      case 'RUNNING': case 'BACKING_OFF': return 6;
      case 'SCHEDULED': return 7;
      case 'COMPLETED': return 8;
      default: return 9;
    }
  }

  function byNameThenNode(a, b) {
    if (a.name !== b.name) { return a.name < b.name ? -1 : 1; }
    var an = a.node || '', bn = b.node || '';
    return an < bn ? -1 : an > bn ? 1 : 0;
  }

  function sorted(list) {
    var copy = list.slice();
    copy.sort(sortBy === 'name' ? byNameThenNode : function (a, b) {
      return severity(a) - severity(b) || byNameThenNode(a, b);
    });
    return copy;
  }

  function render() {
    var q = filter.value.trim().toLowerCase();
    var seen = new Set();
    var counts = {};
    var shown = 0;
    sorted(data).forEach(function (t) {
      counts[t.state] = (counts[t.state] || 0) + 1;
      if (q && t.name.toLowerCase().indexOf(q) < 0) { return; }
      // In a cluster one name can run on several nodes: a row per name and node.
      var key = t.name + '\u0000' + (t.node || '');
      seen.add(key);
      var r = byName.get(key);
      if (!r) { r = makeRow(t.name); byName.set(key, r); }
      renderTask(r, t);
      rows.appendChild(r.tr);    // appends new rows and moves the others into the chosen order
      shown++;
    });
    byName.forEach(function (r, name) {
      if (!seen.has(name)) { r.tr.remove(); byName.delete(name); }
    });
    empty.hidden = shown > 0;
    empty.textContent = data.length ? 'No task matches the filter.' : 'No tasks yet.';
    renderSummary(counts);
    renderPager();
    tick();
  }

  /** The chips: counts of the whole list (of every page when paged: from the server). */
  function renderSummary(pageCounts) {
    var counts = pageCounts;
    var total = data.length;
    var whole = paged ? (summaryCounts || healthCounts) : null;
    if (whole) {
      counts = whole.states;
      total = whole.total;
    }
    var key = total + '|' + ORDER.map(function (s) { return counts[s] || 0; }).join(',');
    if (summary.getAttribute('data-key') !== key) {
      summary.setAttribute('data-key', key);
      clear(summary);
      summary.appendChild(el('span', 'chip', total + (total === 1 ? ' task' : ' tasks')));
      ORDER.forEach(function (s) {
        if (counts[s]) {
          var chip = el('span', 'chip s-' + s, counts[s] + ' ' + s.replace('_', ' '));
          chip.setAttribute('data-state', s);
          summary.appendChild(chip);
        }
      });
    }
    var dead = counts.GAVE_UP || 0;
    document.title = (dead ? '(' + dead + ' gave up) ' : '') + 'Background tasks';
  }

  function renderPager() {
    pager.hidden = !paged;
    if (!paged) { return; }
    $('page-info').textContent = 'page ' + (cursors.length + 1) + ' · ' + data.length + ' tasks'
      + (data.length ? ' (' + data[0].name + ' … ' + data[data.length - 1].name + ')' : '');
    $('page-first').disabled = cursor === null;
    $('page-prev').disabled = cursor === null;
    $('page-next').disabled = next === null;
  }

  function sortLabel() {
    sortButton.textContent = sortBy === 'name' ? 'Sort: name' : 'Sort: severity';
    sortButton.setAttribute('data-sort', sortBy);
  }

  // ---------------------------------------------------------------- the detail view

  function openDetailView(name, node) {
    openTask = { name: name, node: node };
    openDetail = null;
    detail.hidden = false;
    $('detail-title').textContent = name;
    clear($('detail-state'));
    clear($('detail-actions'));
    clear($('detail-body'));
    $('detail-body').appendChild(el('p', 'muted', 'loading…'));
    loadDetail();
    detail.scrollIntoView({ block: 'nearest' });
  }

  function closeDetailView() {
    openTask = null;
    openDetail = null;
    detail.hidden = true;
  }

  function loadDetail() {
    if (!openTask) { return Promise.resolve(); }
    var asked = openTask;
    // In a cluster the reply is the holder's (or the first node's that has the task).
    return getJson('tasks/' + encodeURIComponent(asked.name) + '/detail').then(function (r) {
      if (openTask !== asked) { return; }
      if (!r.res.ok) {
        clear($('detail-body'));
        $('detail-body').appendChild(el('p', 'fail', r.res.status + ': '
          + (r.body && r.body.error ? r.body.error : 'no detail')));
        return;
      }
      renderDetail(r.body);
    }, function () { /* shown again at the next poll */ });
  }

  function dl(pairs) {
    var list = el('dl');
    pairs.forEach(function (p) {
      if (p[1] === undefined) { return; }
      list.appendChild(el('dt', null, p[0]));
      var dd;
      if (p[1] instanceof Node) {
        dd = el('dd');
        dd.appendChild(p[1]);
      } else {
        dd = el('dd', null, p[1] === null || p[1] === '' ? '—' : p[1]);
      }
      if (p[2]) { dd.setAttribute('data-detail', p[2]); }
      list.appendChild(dd);
    });
    return list;
  }

  function value(v) {
    if (v === true) { return 'yes'; }
    if (v === null || v === undefined) { return '—'; }
    if (typeof v === 'object') {
      return Object.keys(v).map(function (k) {
        var x = v[k];
        return k + ' ' + (typeof x === 'object' && x !== null ? JSON.stringify(x) : String(x));
      }).join(', ');
    }
    return String(v);
  }

  function renderDetail(d) {
    // Drawn again only when something changed: a selection (of a stack trace, say) stays put.
    var key = JSON.stringify(d) + '|' + controlShown() + '|' + control.mode;
    if (openDetail === key) { return; }
    openDetail = key;
    var body = $('detail-body');
    clear(body);
    var badge = $('detail-state');
    clear(badge);
    var b = el('span', 'badge s-' + d.state, stateLabel(d));
    b.setAttribute('data-state', d.state);
    badge.appendChild(b);
    var acts = $('detail-actions');
    clear(acts);
    if (controlShown()) { fillActions(acts, d); }

    body.appendChild(el('h3', null, 'Status'));
    body.appendChild(dl([
      ['Name', d.name],
      ['Kind', d.kind],
      ['State', stateLabel(d)],
      ['Running since', d.running > 0 ? when(d.lastStartedAt) : '—', 'running-since'],
      ['Runs', d.runs + ' (' + d.successes + ' succeeded, ' + d.failures + ' failed, '
        + d.restarts + ' restarts)'],
      ['Failures in a row', String(d.consecutiveFailures)],
      ['Last started', when(d.lastStartedAt)],
      ['Last ended', when(d.lastEndedAt)],
      ['Next run', d.nextRunAt ? when(d.nextRunAt) : undefined],
      ['Node', d.node || undefined],
      ['Holder', d.holder || undefined]
    ]));

    if (d.schedule) {
      var s = d.schedule;
      var pairs = [['Schedule', s.description || '', 'schedule']];
      Object.keys(s).forEach(function (k) {
        if (k !== 'description') { pairs.push([k, value(s[k])]); }
      });
      pairs.push(['Next fire', d.nextFireAt ? when(d.nextFireAt) : '—']);
      pairs.push(['Last fire', d.lastFireAt ? when(d.lastFireAt) : '—']);
      pairs.push(['Fires', (d.fires || 0) + ' fired, ' + (d.missedFires || 0) + ' missed, '
        + (d.skippedFires || 0) + ' skipped']);
      body.appendChild(el('h3', null, 'Schedule'));
      body.appendChild(dl(pairs));
    }

    body.appendChild(el('h3', null, 'Backoff'));
    if (d.backoff) {
      body.appendChild(dl(Object.keys(d.backoff).map(function (k) { return [k, value(d.backoff[k])]; })));
    } else {
      body.appendChild(el('p', 'muted', d.kind === 'ONCE' ? 'none: a once task is not restarted' : '—'));
    }
    body.appendChild(el('h3', null, 'Options'));
    var opts = d.options || {};
    var names = Object.keys(opts);
    if (names.length) {
      body.appendChild(dl(names.map(function (k) {
        return [k, k === 'config' && opts[k] && opts[k].keys
          ? 'keys ' + opts[k].keys.join(', ') + ' (values not shown)' : value(opts[k])];
      })));
    } else {
      body.appendChild(el('p', 'muted', 'none'));
    }

    body.appendChild(el('h3', null, 'Last error'));
    var lastError = el('p', d.lastError ? 'fail' : 'muted', d.lastError
      ? errorText(d.lastError) + ' · ' : 'none');
    if (d.lastError) { lastError.appendChild(when(d.lastError.at)); }
    lastError.setAttribute('data-detail', 'last-error');
    body.appendChild(lastError);
    if (d.stackTrace) {
      body.appendChild(el('pre', null, d.stackTrace)).setAttribute('data-detail', 'stack-trace');
    } else if (d.stackTraceHidden) {
      body.appendChild(el('p', 'muted', control.mode === 'none'
        ? 'Stack trace hidden: it is shown only where control is allowed, and control is off.'
        : 'Stack trace hidden: it is shown only to a request allowed to control.'))
        .setAttribute('data-detail', 'stack-trace-hidden');
    }

    var h = (d.history || []).slice().reverse();
    body.appendChild(el('h3', null, 'Last ' + h.length + ' runs'));
    if (!h.length) {
      body.appendChild(el('p', 'muted', 'none yet'));
      return;
    }
    var table = el('table');
    table.setAttribute('data-detail', 'runs');
    var head = el('tr');
    ['Started', 'Duration', 'Outcome', 'Error'].forEach(function (c) { head.appendChild(el('th', null, c)); });
    var thead = el('thead');
    thead.appendChild(head);
    table.appendChild(thead);
    var tbody = el('tbody');
    h.forEach(function (run) {
      var tr = el('tr');
      tr.setAttribute('data-outcome', run.outcome);
      var started = el('td', null, new Date(Date.parse(run.startedAt)).toLocaleString());
      started.title = run.startedAt;
      tr.appendChild(started);
      tr.appendChild(el('td', 'num', duration(run.durationMs)));
      tr.appendChild(el('td', run.outcome === 'failure' ? 'fail' : null, run.outcome));
      tr.appendChild(el('td', null, run.error ? errorText(run.error) : ''));
      tbody.appendChild(tr);
    });
    table.appendChild(tbody);
    body.appendChild(table);
  }

  // ---------------------------------------------------------------- polling

  function pageUrl(after) {
    return 'tasks?limit=' + PAGE_SIZE + (after === null ? '' : '&after=' + encodeURIComponent(after));
  }

  /**
   * One page of tasks. The list answers a JSON array (every task), or, when it pages,
   * {"tasks": [...], "next": name or null}; "next" is where the following page starts.
   */
  function fetchTasks() {
    var sent = Date.now();
    return fetch(pageUrl(cursor), { cache: 'no-store', headers: headers() }).then(function (res) {
      if (!res.ok) { throw new Error('HTTP ' + res.status); }
      var server = Number(res.headers.get('X-Server-Time'));
      return res.json().then(function (json) {
        var got = Date.now();
        if (server > 0) { offset = server - (sent + got) / 2; }
        var list;
        if (Array.isArray(json)) {
          list = json;
          next = null;
        } else if (json && Array.isArray(json.tasks)) {
          list = json.tasks;
          next = typeof json.next === 'string' ? json.next : null;
        } else {
          throw new Error('unexpected answer');
        }
        paged = next !== null || cursor !== null;
        data = list;
        lastOk = got;
        lastError = '';
      });
    });
  }

  function fetchHealth() {
    return getJson('health').then(function (r) {
      if (r.body && typeof r.body.status === 'string') {
        renderHealth(r.body);
        healthCounts = r.body.states ? { states: r.body.states, total: r.body.tasks } : null;
      }
    }, function () { /* the connection line says it */ });
  }

  /** When paged, the counts of every task, from "tasks/summary" if the server has it. */
  function fetchSummary() {
    if (!paged || !summarySupported) { return Promise.resolve(); }
    return getJson('tasks/summary').then(function (r) {
      var b = r.body;
      var states = b && (b.states || b.byState);
      if (!r.res.ok || !states || typeof states !== 'object') {
        summarySupported = false;
        summaryCounts = null;
        return;
      }
      var total = typeof b.total === 'number' ? b.total : typeof b.tasks === 'number' ? b.tasks
        : Object.keys(states).reduce(function (n, k) { return n + (states[k] || 0); }, 0);
      summaryCounts = { states: states, total: total };
    }, function () { summaryCounts = null; });
  }

  function pollSoon() {
    if (polling) { pollAgain = true; return; }
    clearTimeout(pollTimer);
    poll();
  }

  function poll() {
    polling = true;
    var control0 = polls++ % CONTROL_EVERY === 0 ? lookAtControl() : Promise.resolve();
    control0
      .then(fetchTasks)
      .then(function () {
        return Promise.all([fetchHealth(), fetchSummary(), loadDetail()]);
      }, function (err) {
        lastError = err && err.message ? err.message : String(err);
        return fetchHealth();
      })
      .then(function () { if (lastOk) { render(); } else { tick(); } },
        function () { tick(); })
      .then(function () {
        polling = false;
        if (pollAgain) { pollAgain = false; poll(); } else { pollTimer = setTimeout(poll, POLL_MS); }
      });
  }

  function goTo(newCursor, stack) {
    cursor = newCursor;
    cursors = stack;
    pollSoon();
  }

  filter.addEventListener('input', render);
  sortButton.addEventListener('click', function () {
    sortBy = sortBy === 'name' ? 'severity' : 'name';
    write(SORT_KEY, sortBy);
    sortLabel();
    render();
  });
  tokenButton.addEventListener('click', function () {
    if (token) {
      forgetToken();
      say('ok', 'Token forgotten.');
      lookAtControl();
    } else {
      askToken(null);
    }
  });
  $('token-save').addEventListener('click', useToken);
  tokenInput.addEventListener('keydown', function (e) { if (e.key === 'Enter') { useToken(); } });
  $('token-cancel').addEventListener('click', function () {
    tokenPanel.hidden = true;
    afterToken = null;
  });
  $('detail-close').addEventListener('click', closeDetailView);
  $('page-first').addEventListener('click', function () { goTo(null, []); });
  $('page-prev').addEventListener('click', function () {
    var stack = cursors.slice();
    var previous = stack.length ? stack.pop() : null;
    goTo(previous, stack);
  });
  $('page-next').addEventListener('click', function () {
    if (next === null) { return; }
    goTo(next, cursors.concat([cursor]));
  });
  sortLabel();
  renderControl();
  setInterval(tick, 200);
  poll();
})();
