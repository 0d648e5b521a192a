// RuVector Streams dashboard: plain JS, no build step. Reads this instance's API every 5 s.
'use strict';

const REFRESH_MS = 5000;
const SVG = 'http://www.w3.org/2000/svg';

async function json(path) {
  const response = await fetch(path, {headers: {'Accept': 'application/json'}});
  if (!response.ok) {
    throw new Error(path + ' answered ' + response.status);
  }
  return response.json();
}

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  Object.entries(attrs || {}).forEach(([k, v]) => node.setAttribute(k, v));
  children.forEach(c => node.append(c));
  return node;
}

function svg(tag, attrs, ...children) {
  const node = document.createElementNS(SVG, tag);
  Object.entries(attrs || {}).forEach(([k, v]) => node.setAttribute(k, v));
  children.forEach(c => node.append(c));
  return node;
}

function time(ms) {
  return new Date(ms).toLocaleTimeString();
}

/** λ over time as a polyline, the background banded by state, the thresholds as dashed lines. */
function lambdaChart(points, policy) {
  const width = 520, height = 120, pad = 22;
  const chart = svg('svg', {'class': 'lambda-history', viewBox: `0 0 ${width} ${height}`, 'data-points': points.length});
  if (points.length === 0) {
    chart.append(svg('text', {x: pad, y: height / 2}, 'no evaluation yet'));
    return chart;
  }
  const t0 = points[0].at_millis, t1 = Math.max(points[points.length - 1].at_millis, t0 + 1);
  const x = t => pad + (width - 2 * pad) * (t - t0) / (t1 - t0);
  const y = l => height - pad - (height - 2 * pad) * Math.max(0, Math.min(1, l));
  const colours = {normal: '#e8f5e9', stress: '#fff3e0', critical: '#ffebee'};
  points.forEach((p, i) => {
    const next = i + 1 < points.length ? points[i + 1].at_millis : t1;
    chart.append(svg('rect', {'class': 'band state-band-' + p.state, 'data-state': p.state, x: x(p.at_millis), y: pad,
      width: Math.max(1, x(next) - x(p.at_millis)), height: height - 2 * pad, fill: colours[p.state] || '#eee'}));
  });
  if (policy) {
    [policy.threshold_high, policy.threshold_low].forEach(level => chart.append(svg('line', {x1: pad, x2: width - pad,
      y1: y(level), y2: y(level), stroke: '#99a', 'stroke-dasharray': '4 3'})));
  }
  chart.append(svg('polyline', {fill: 'none', stroke: '#1565c0', 'stroke-width': 1.5,
    points: points.map(p => `${x(p.at_millis).toFixed(1)},${y(p.lambda).toFixed(1)}`).join(' ')}));
  chart.append(svg('text', {x: 2, y: y(1) + 4}, '1'), svg('text', {x: 2, y: y(0) + 4}, '0'),
    svg('text', {x: pad, y: height - 4}, time(t0)), svg('text', {x: width - pad - 60, y: height - 4}, time(t1)));
  return chart;
}

/**
 * The witness edges as a small graph: a node shared by many of them (typically the hot partition)
 * in the middle, the other endpoints on an ellipse around it; each edge labelled with its type and
 * capacity while there are few, summarised per type when there are many.
 */
function witnessGraph(edges) {
  const width = 520, height = 260, cx = width / 2, cy = height / 2 + 8;
  const graph = svg('svg', {'class': 'witness-graph', viewBox: `0 0 ${width} ${height}`, 'data-edges': edges.length});
  if (edges.length === 0) {
    graph.append(svg('text', {x: 20, y: cy}, 'no witness edges: nothing crosses the min cut'));
    return graph;
  }
  const key = (type, id) => `${type}:${id}`;
  const degree = {};
  edges.forEach(e => [key(e.source_type, e.source_id), key(e.target_type, e.target_id)]
    .forEach(id => { degree[id] = (degree[id] || 0) + 1; }));
  const ids = Object.keys(degree).sort((a, b) => degree[b] - degree[a] || a.localeCompare(b));
  const hub = degree[ids[0]] > 2 ? ids[0] : null;
  const ring = ids.filter(id => id !== hub);
  const at = {};
  if (hub) {
    at[hub] = {x: cx, y: cy};
  }
  ring.forEach((id, i) => {
    const a = 2 * Math.PI * i / ring.length - Math.PI / 2;
    at[id] = {x: cx + 165 * Math.cos(a), y: cy + 100 * Math.sin(a)}; // room for the labels either side
  });
  const labelled = edges.length <= 8;
  edges.forEach(e => {
    const s = at[key(e.source_type, e.source_id)], t = at[key(e.target_type, e.target_id)];
    const edge = svg('g', {'class': 'edge', 'data-type': e.edge_type},
      svg('line', {x1: s.x, y1: s.y, x2: t.x, y2: t.y, stroke: '#c62828', 'stroke-opacity': 0.6,
        'stroke-width': 1 + 3 * Math.min(1, e.capacity)}));
    edge.append(svg('title', {}, `${e.edge_type} ${key(e.source_type, e.source_id)} → ${key(e.target_type, e.target_id)}, capacity ${e.capacity.toFixed(3)}`));
    if (labelled) {
      edge.append(svg('text', {x: (s.x + t.x) / 2 + 4, y: (s.y + t.y) / 2 - 4}, `${e.edge_type} ${e.capacity.toFixed(2)}`));
    }
    graph.append(edge);
  });
  if (!labelled) {
    const counts = {};
    edges.forEach(e => { counts[e.edge_type] = (counts[e.edge_type] || 0) + 1; });
    graph.append(svg('text', {x: 6, y: 12}, Object.entries(counts).map(([t, n]) => `${n} × ${t}`).join(', ')));
  }
  ids.forEach(id => {
    const p = at[id];
    const right = p.x >= cx;
    graph.append(svg('g', {'class': 'node', 'data-id': id},
      svg('circle', {cx: p.x, cy: p.y, r: id === hub ? 9 : 5, fill: id === hub ? '#c62828' : '#37474f'}),
      svg('text', {x: p.x + (right ? 8 : -8), y: p.y + 4, 'text-anchor': right ? 'start' : 'end'}, id)));
  });
  return graph;
}

function gatesTable(gates) {
  const table = el('table', {'class': 'gates'}, el('tr', {}, el('th', {}, 'risk'), el('th', {}, 'action'),
    el('th', {}, 'admitted')));
  gates.forEach(g => table.append(el('tr', {'data-risk': g.risk}, el('td', {}, g.risk), el('td', {}, g.action),
    el('td', {}, Math.round(g.admit_fraction * 100) + ' %'))));
  return table;
}

function transitionsList(transitions) {
  const list = el('ul', {'class': 'transitions'});
  transitions.slice().reverse().forEach(t => list.append(el('li', {'data-to': t.to},
    `${time(t.at_millis)}: ${t.from} → ${t.to} (λ ${t.lambda.toFixed(3)}, ${t.cause.toLowerCase()})`)));
  if (transitions.length === 0) {
    list.append(el('li', {'class': 'empty'}, 'no transition'));
  }
  return list;
}

function healingTimeline(outcomes) {
  const list = el('ol', {'class': 'healing'});
  outcomes.forEach(o => list.append(el('li', {'class': o.verified ? 'verified' : (o.success ? '' : 'failed'),
    'data-strategy': o.strategy},
    `${time(o.started_at_millis)}: ${o.problem_class} → ${o.strategy}` +
    (o.dry_run ? ' (dry run)' : '') + `: ${o.verified ? 'verified' : o.rolled_back ? 'rolled back' : o.success ? 'applied' : 'failed'}` +
    (o.lambda_before != null && o.lambda_after != null ? `, λ ${o.lambda_before.toFixed(2)} → ${o.lambda_after.toFixed(2)}` : ''))));
  if (outcomes.length === 0) {
    list.append(el('li', {'class': 'empty'}, 'no remediation'));
  }
  return list;
}

async function collectionCard(collection) {
  const name = collection.name;
  const base = '/v1/collections/' + encodeURIComponent(name);
  const [integrity, history, healing, stats] = await Promise.all([
    json(base + '/integrity'),
    json(base + '/integrity/history'),
    json(base + '/healing/history?limit=20').catch(() => ({outcomes: [], unavailable: true})),
    json(base + '/stats').catch(() => null)]);
  const state = integrity.evaluated ? integrity.state : 'not evaluated';
  const card = el('section', {'class': 'collection', 'data-name': name, 'data-state': state},
    el('h2', {}, name, el('span', {'class': 'state state-' + state}, state),
      el('span', {'class': 'facts'}, collection.table + (stats ? ` · ${stats.count} rows` : ''))),
    el('div', {'class': 'facts lambda'}, integrity.evaluated
      ? `λ ${integrity.lambda.toFixed(3)} (cut ${integrity.lambda_cut.toFixed(3)}) · ${integrity.node_count} nodes, ${integrity.edge_count} edges · since ${time(integrity.since_millis)}`
      : 'the integrity application has not evaluated this collection yet'),
    el('h3', {}, 'λ and state over time'), lambdaChart(history.points, integrity.policy),
    el('h3', {}, 'Transitions'), transitionsList(integrity.transitions || []),
    el('h3', {}, 'Witness edges (crossing the min cut)'), witnessGraph(integrity.witness_edges || []),
    el('h3', {}, 'Gates'), gatesTable(integrity.gates || []),
    el('h3', {}, 'Healing'), healing.unavailable ? el('p', {'class': 'empty'}, 'healing is not running on this instance')
      : healingTimeline(healing.outcomes || []));
  return card;
}

async function refresh() {
  const main = document.getElementById('collections');
  try {
    const ready = await fetch('/health/ready').then(r => r.status === 200).catch(() => false);
    const badge = document.getElementById('ready');
    badge.textContent = ready ? 'ready' : 'not ready';
    badge.className = 'badge ' + (ready ? 'ready' : 'not-ready');
    const listed = await json('/v1/collections');
    const collections = listed.collections || listed;
    const cards = await Promise.all(collections.map(collectionCard));
    main.replaceChildren(...(cards.length ? cards : [el('p', {'class': 'empty'}, 'No collection registered yet.')]));
    document.getElementById('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
    document.body.dataset.loaded = 'true';
  } catch (e) {
    main.replaceChildren(el('p', {'class': 'empty error'}, 'Cannot read the API: ' + e.message));
  }
}

refresh();
setInterval(refresh, REFRESH_MS);
