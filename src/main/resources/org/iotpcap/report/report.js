/*
 * iotpcap report page: draws the JSON that the Java side (org.iotpcap.report.Report) computed with SQL over
 * the tables. Charts and sequence diagrams are Apache ECharts (inlined above); tables are plain HTML, sortable
 * by a click on a header and filterable by the box above them. Nothing is loaded from anywhere.
 * At the end the page writes its own check (errors seen, resources loaded, what the page shows) into
 * #self-check, which the browser test reads.
 */
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var charts = [];

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        if (k === 'text') { e.textContent = attrs[k]; } else if (k === 'cls') { e.className = attrs[k]; } else { e.setAttribute(k, attrs[k]); }
      });
    }
    (children || []).forEach(function (c) { if (c) { e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); } });
    return e;
  }

  function text(v) {
    if (v === null || v === undefined) { return 'NULL'; }
    if (Array.isArray(v)) { return '[' + v.map(text).join(', ') + ']'; }
    return String(v);
  }

  function compare(a, b) {
    if (a === b) { return 0; }
    if (a === null || a === undefined) { return -1; }
    if (b === null || b === undefined) { return 1; }
    if (typeof a === 'number' && typeof b === 'number') { return a - b; }
    return text(a).localeCompare(text(b), undefined, {numeric: true});
  }

  /** A sortable, filterable table of {columns, rows, total}; says how many rows it left off. */
  function table(t, opts) {
    opts = opts || {};
    var box = el('div');
    if (!t || !t.columns) { return box; }
    var rows = t.rows.slice();
    var filter = el('input', {cls: 'filter-box', type: 'search', placeholder: 'filter rows'});
    var tbl = el('table', opts.id ? {id: opts.id} : null);
    var thead = el('tr');
    var tbody = el('tbody');
    var sortCol = -1, sortDir = 1;
    t.columns.forEach(function (c, i) {
      var th = el('th', {text: c, title: 'sort by ' + c});
      th.addEventListener('click', function () {
        sortDir = sortCol === i ? -sortDir : 1;
        sortCol = i;
        Array.prototype.forEach.call(thead.children, function (h) { h.className = ''; });
        th.className = sortDir > 0 ? 'sorted-asc' : 'sorted-desc';
        rows.sort(function (a, b) { return sortDir * compare(a[i], b[i]); });
        draw();
      });
      thead.appendChild(th);
    });
    function draw() {
      var q = filter.value.toLowerCase();
      tbody.textContent = '';
      rows.forEach(function (r) {
        if (q && !r.some(function (v) { return text(v).toLowerCase().indexOf(q) >= 0; })) { return; }
        var tr = el('tr', null, r.map(function (v) { return el('td', {text: text(v)}); }));
        if (opts.onPick) {
          tr.className = 'pick';
          tr.title = 'draw its sequence diagram';
          tr.addEventListener('click', function () {
            Array.prototype.forEach.call(tbody.children, function (x) { x.className = 'pick'; });
            tr.className = 'pick picked';
            opts.onPick(r);
          });
        }
        tbody.appendChild(tr);
      });
    }
    filter.addEventListener('input', draw);
    tbl.appendChild(el('thead', null, [thead]));
    tbl.appendChild(tbody);
    draw();
    if (rows.length > 5) { box.appendChild(filter); }
    box.appendChild(el('div', {cls: 'wrap'}, [tbl]));
    if (t.total > t.rows.length) {
      box.appendChild(el('p', {cls: 'more', text: 'and ' + (t.total - t.rows.length) + ' more (the page keeps the first '
        + t.rows.length + ' of ' + t.total + ' rows; iotpcap query gives them all)'}));
    } else if (t.rows.length === 0) {
      box.appendChild(el('p', {cls: 'more', text: 'no rows'}));
    }
    return box;
  }

  function col(t, name) { return t.columns.indexOf(name); }

  function chart(parent, option, cls) {
    var div = el('div', {cls: cls || 'chart'});
    parent.appendChild(div);
    var c = echarts.init(div, null, {renderer: 'canvas'});
    c.setOption(option);
    charts.push(c);
    return c;
  }

  function section(id, title) {
    var s = el('section', {id: id}, [el('h2', {text: title})]);
    document.getElementById('main').appendChild(s);
    document.getElementById('nav').appendChild(el('a', {href: '#' + id, text: title}));
    return s;
  }

  function seconds(ns, base) { return ((ns - base) / 1e9).toFixed(6); }

  /**
   * A sequence (ladder) diagram: two lifelines, one arrow per message from its sender to its receiver, top to
   * bottom in frame order, labelled with the frame number, the time since the first message and the message.
   */
  function ladder(c, left, right, msgs, label) {
    if (!msgs.length) {
      c.setOption({title: {text: 'no messages'}, series: []}, true);
      return;
    }
    var base = msgs[0].time_ns;
    var lines = msgs.map(function (m, i) {
      var from = m.direction === 'c2s' ? 0 : 1;
      return [{coord: [from, i], symbol: 'none'},
        {coord: [1 - from, i], symbol: 'arrow', symbolSize: 10,
          label: {show: true, position: 'middle', formatter: label(m)}}];
    });
    c.setOption({
      animation: false,
      grid: {left: 150, right: 150, top: 40, bottom: 20},
      xAxis: {type: 'value', min: 0, max: 1, position: 'top', interval: 1,
        axisLabel: {formatter: function (v) { return v === 0 ? left : right; }}, splitLine: {show: true, lineStyle: {width: 2}}},
      yAxis: {type: 'category', inverse: true, boundaryGap: true, axisTick: {show: false},
        data: msgs.map(function (m) { return 'frame ' + m.frame + '  +' + seconds(m.time_ns, base) + ' s'; })},
      series: [{type: 'scatter', data: [], markLine: {animation: false, silent: true, lineStyle: {color: '#23395d', width: 1.5, type: 'solid'},
        data: lines}}]
    }, true);
    c.getDom().style.height = Math.max(240, 60 + msgs.length * 28) + 'px';
    c.resize();
  }

  function byKey(t, key) {
    var out = {};
    if (!t) { return out; }
    var ki = col(t, key);
    t.rows.forEach(function (r) {
      var m = {};
      t.columns.forEach(function (c, i) { m[c] = r[i]; });
      (out[r[ki]] = out[r[ki]] || []).push(m);
    });
    return out;
  }

  // ---- overview
  document.getElementById('title').textContent = data.title;
  var ov = data.overview;
  var o = section('overview', 'Overview');
  var kv = el('table', {cls: 'kv'});
  function kvRow(k, v, id) { kv.appendChild(el('tr', null, [el('td', {text: k}), el('td', id ? {id: id, text: text(v)} : {text: text(v)})])); }
  kvRow('capture', data.title);
  kvRow('frames', ov.frames, 'ov-frames');
  kvRow('bytes captured', ov.bytes, 'ov-bytes');
  kvRow('first frame', ov.first_time);
  kvRow('last frame', ov.last_time);
  kvRow('span', ov.first_ns === null ? 'none' : seconds(ov.last_ns, ov.first_ns) + ' s');
  kvRow('malformed records', ov.malformed_total, 'ov-malformed');
  o.appendChild(kv);
  o.appendChild(el('h3', {text: 'Interfaces'}));
  o.appendChild(table(ov.interfaces));
  o.appendChild(el('h3', {text: 'Protocol mix (frames)'}));
  o.appendChild(table(ov.protocols));
  chart(o, {animation: false, tooltip: {}, series: [{type: 'pie', radius: '65%',
    data: ov.protocols.rows.map(function (r) { return {name: r[0], value: r[1]}; })}]});
  o.appendChild(el('h3', {text: 'Messages per protocol'}));
  o.appendChild(table(ov.messages, {id: 'ov-messages'}));
  o.appendChild(el('h3', {text: 'Malformed records by reason'}));
  o.appendChild(table(ov.malformed, {id: 'ov-malformed-reasons'}));

  // ---- traffic over time
  var tr = section('traffic', 'Traffic over time');
  var tf = data.traffic;
  tr.appendChild(el('p', {text: 'Frames per protocol in buckets of ' + (tf.bucket_ns / 1e6) + ' ms (chosen from the span: at most 300 buckets).'}));
  var protos = {};
  tf.series.rows.forEach(function (r) { (protos[r[1]] = protos[r[1]] || []).push([(tf.start_ns + r[0] * tf.bucket_ns) / 1e6, r[2]]); });
  chart(tr, {animation: false, tooltip: {trigger: 'axis'}, legend: {top: 0}, grid: {top: 50, bottom: 70}, dataZoom: [{type: 'inside'}, {type: 'slider'}],
    xAxis: {type: 'time'}, yAxis: {type: 'value', name: 'frames'},
    series: Object.keys(protos).map(function (p) { return {name: p, type: 'bar', stack: 'all', barMaxWidth: 20, data: protos[p]}; })});

  // ---- MQTT
  var mq = data.mqtt;
  var ms = section('mqtt', 'MQTT');
  ms.appendChild(el('h3', {text: 'Brokers'}));
  ms.appendChild(table(mq.brokers));
  ms.appendChild(el('h3', {text: 'Clients'}));
  ms.appendChild(table(mq.clients));
  ms.appendChild(el('h3', {text: 'Connections over time (bar from first to last frame; colour: how it ended)'}));
  var cn = mq.connections;
  if (cn.rows.length) {
    var s0 = Math.min.apply(null, cn.rows.map(function (r) { return r[col(cn, 'start_ns')]; }));
    var ends = {};
    var labels = cn.rows.map(function (r) { return 'stream ' + r[col(cn, 'stream')] + ' ' + text(r[col(cn, 'client_id')]); });
    cn.rows.forEach(function (r, i) {
      var how = text(r[col(cn, 'ended_by')]);
      (ends[how] = ends[how] || labels.map(function () { return '-'; }))[i] =
        (r[col(cn, 'end_ns')] - r[col(cn, 'start_ns')]) / 1e9;
    });
    var offsets = cn.rows.map(function (r) { return (r[col(cn, 'start_ns')] - s0) / 1e9; });
    chart(ms, {animation: false, tooltip: {}, legend: {}, grid: {left: 200},
      dataZoom: [{type: 'slider', yAxisIndex: 0, startValue: 0, endValue: Math.min(30, labels.length) - 1}],
      xAxis: {type: 'value', name: 's since first'}, yAxis: {type: 'category', data: labels, inverse: true},
      series: [{type: 'bar', stack: 't', itemStyle: {color: 'transparent'}, data: offsets, tooltip: {show: false}}]
        .concat(Object.keys(ends).map(function (k) { return {name: k, type: 'bar', stack: 't', data: ends[k]}; }))}, 'chart');
  }
  ms.appendChild(el('h3', {text: 'Connections (click one for its sequence diagram)'}));
  var mLadders = byKey(mq.ladders, 'stream');
  var mDiv = el('div');
  var mChart;
  function mqttLadder(stream) {
    ladder(mChart, 'client', 'broker', mLadders[stream] || [], function (m) {
      return m.type + (m.topic ? ' ' + m.topic : '') + (m.packet_id !== null ? ' id=' + m.packet_id : '');
    });
  }
  ms.appendChild(table(cn, {onPick: function (r) { mqttLadder(r[col(cn, 'stream')]); }}));
  ms.appendChild(el('h3', {text: 'Sequence diagram'}));
  ms.appendChild(el('p', {cls: 'more', text: 'Diagrams are kept for the first 200 connections, 100 messages each.'}));
  ms.appendChild(mDiv);
  mChart = chart(mDiv, {}, 'ladder');
  if (cn.rows.length) { mqttLadder(cn.rows[0][col(cn, 'stream')]); }

  ms.appendChild(el('h3', {text: 'Topic tree (PUBLISH messages per topic and below)'}));
  var tree = {children: {}, count: 0};
  var tp = mq.topics;
  tp.rows.forEach(function (r) {
    var n = tree;
    n.count += r[1];
    r[0].split('/').forEach(function (lvl) {
      n = n.children[lvl] = n.children[lvl] || {children: {}, count: 0};
      n.count += r[1];
    });
  });
  var treeRows = [];
  (function walk(n, depth, path) {
    Object.keys(n.children).sort().forEach(function (k) {
      var c = n.children[k];
      treeRows.push(['\u00a0\u00a0'.repeat(depth) + (k === '' ? '(empty level)' : k), path + k, c.count]);
      walk(c, depth + 1, path + k + '/');
    });
  })(tree, 0, '');
  ms.appendChild(table({columns: ['level', 'topic', 'publishes'], rows: treeRows, total: treeRows.length}));
  if (tp.total > tp.rows.length) { ms.appendChild(el('p', {cls: 'more', text: 'and ' + (tp.total - tp.rows.length) + ' more topics'})); }
  ms.appendChild(el('h3', {text: 'Subscriptions and what each delivered'}));
  ms.appendChild(table(mq.subscriptions));
  ms.appendChild(el('h3', {text: 'Wills: fired or not, delivered to whom'}));
  ms.appendChild(table(mq.wills));
  ms.appendChild(el('h3', {text: 'QoS 1 and 2 flows left incomplete'}));
  ms.appendChild(table(mq.incomplete_qos));

  // ---- CoAP
  var co = data.coap;
  var cs = section('coap', 'CoAP');
  cs.appendChild(el('h3', {text: 'Exchanges by resource and response code'}));
  cs.appendChild(table(co.by_resource));
  var br = co.by_resource, paths = [], codes = {};
  br.rows.forEach(function (r) {
    var p = r[col(br, 'method')] + ' ' + r[col(br, 'path')];
    if (paths.indexOf(p) < 0) { paths.push(p); }
  });
  br.rows.forEach(function (r) {
    var p = r[col(br, 'method')] + ' ' + r[col(br, 'path')];
    var code = r[col(br, 'response')];
    (codes[code] = codes[code] || paths.map(function () { return 0; }))[paths.indexOf(p)] += r[col(br, 'exchanges')];
  });
  if (paths.length) {
    chart(cs, {animation: false, tooltip: {trigger: 'axis'}, legend: {}, grid: {bottom: 100},
      xAxis: {type: 'category', data: paths, axisLabel: {rotate: 40}}, yAxis: {type: 'value', name: 'exchanges'},
      series: Object.keys(codes).map(function (k) { return {name: k, type: 'bar', stack: 'c', data: codes[k]}; })});
  }
  cs.appendChild(el('h3', {text: 'Response times'}));
  chart(cs, {animation: false, tooltip: {}, xAxis: {type: 'category', data: co.rtt.rows.map(function (r) { return r[0]; })},
    yAxis: {type: 'value', name: 'exchanges'}, series: [{type: 'bar', data: co.rtt.rows.map(function (r) { return r[2]; })}]});
  cs.appendChild(el('h3', {text: 'Exchanges, with retransmissions (click one for its sequence diagram)'}));
  var ex = co.exchanges;
  var cLadders = byKey(co.ladders, 'n');
  var cDiv = el('div');
  var cChart;
  function coapLadder(n) {
    ladder(cChart, 'client', 'server', cLadders[n] || [], function (m) {
      return m.type + ' ' + m.code + ' mid=' + m.mid + (m.token ? ' token=' + m.token : '');
    });
  }
  cs.appendChild(table(ex, {onPick: function (r) { coapLadder(r[col(ex, 'n')]); }}));
  cs.appendChild(el('h3', {text: 'Sequence diagram'}));
  cs.appendChild(el('p', {cls: 'more', text: 'Diagrams are kept for the first 200 exchanges, 100 messages each.'}));
  cs.appendChild(cDiv);
  cChart = chart(cDiv, {}, 'ladder');
  if (ex.rows.length) { coapLadder(ex.rows[0][col(ex, 'n')]); }
  cs.appendChild(el('h3', {text: 'Observe'}));
  cs.appendChild(table(co.observe));
  cs.appendChild(el('h3', {text: 'Block-wise transfers'}));
  cs.appendChild(table(co.blockwise));

  // ---- DNS
  var ds = section('dns', 'DNS names');
  ds.appendChild(table(data.dns.names));

  // ---- analyses
  var as = section('analyses', 'Analyses');
  data.analyses.forEach(function (a) {
    var d = el('div', {cls: 'analysis', 'data-name': a.analysis}, [el('h3', {text: a.analysis}), el('p', {text: a.question})]);
    if (a.error) {
      d.appendChild(el('p', {cls: 'error answer', text: 'n/a'}));
      d.appendChild(el('p', {cls: 'error', text: a.error}));
      as.appendChild(d);
      return;
    }
    d.appendChild(table({columns: ['parameter', 'value', 'resolved to'],
      rows: a.parameters.map(function (p) { return [p.name, p.value, p.addresses.join('; ')]; }), total: a.parameters.length}));
    d.appendChild(el('p', null, ['answer: ', el('span', {cls: 'answer', text: text(a.answer)})]));
    var f = el('p');
    if (a.display_filter === null) {
      f.appendChild(document.createTextNode('display filter: none (the evidence names no frames)'));
    } else {
      var code = el('code', {cls: 'filter', text: a.display_filter});
      var btn = el('button', {text: 'copy', type: 'button'});
      btn.addEventListener('click', function () {
        var range = document.createRange();
        range.selectNodeContents(code);
        var sel = window.getSelection();
        sel.removeAllRanges();
        sel.addRange(range);
        try { document.execCommand('copy'); btn.textContent = 'copied'; } catch (e) { btn.textContent = 'selected: press Ctrl+C'; }
      });
      f.appendChild(document.createTextNode('Wireshark display filter: '));
      f.appendChild(code);
      f.appendChild(btn);
    }
    d.appendChild(f);
    d.appendChild(table(a.evidence, {cls: 'evidence'}));
    as.appendChild(d);
  });

  window.addEventListener('resize', function () { charts.forEach(function (c) { c.resize(); }); });

  // one section alone (for a screenshot): report.html#only=mqtt
  var only = /^#only=(.*)$/.exec(location.hash);
  if (only) {
    document.body.className = 'only';
    var shown = document.getElementById(only[1]);
    if (shown) { shown.className = 'shown'; }
    charts.forEach(function (c) { c.resize(); });
  }

  // ---- the page's own check, read back by the browser test
  var check = document.getElementById('self-check');
  var answers = {};
  Array.prototype.forEach.call(document.querySelectorAll('.analysis'), function (d) {
    var v = d.querySelector('.answer');
    var f = d.querySelector('code.filter');
    answers[d.getAttribute('data-name')] = {answer: v ? v.textContent : null, filter: f ? f.textContent : null,
      evidence_rows: d.querySelectorAll('tbody')[1] ? d.querySelectorAll('tbody')[1].children.length : 0};
  });
  function cells(id) {
    var t = document.getElementById(id);
    var out = {};
    if (t) {
      Array.prototype.forEach.call(t.querySelectorAll('tbody tr'), function (r) {
        out[r.children[r.children.length === 4 ? 1 : 0].textContent] = r.children[r.children.length === 4 ? 2 : 1].textContent;
      });
    }
    return out;
  }
  check.textContent = JSON.stringify({
    errors: window.__check.errors,
    violations: window.__check.violations,
    resources: performance.getEntriesByType('resource').map(function (e) { return e.name; }),
    frames: document.getElementById('ov-frames').textContent,
    bytes: document.getElementById('ov-bytes').textContent,
    malformed: document.getElementById('ov-malformed').textContent,
    malformed_by_reason: cells('ov-malformed-reasons'),
    messages: cells('ov-messages'),
    sections: Array.prototype.map.call(document.querySelectorAll('section'), function (s) { return s.id; }),
    canvases: document.querySelectorAll('canvas').length,
    answers: answers
  });
})();
