/**
 * The assignment statechart as SVG, drawn from the machine definition itself: the state nodes of
 * assignmentMachine are walked (stages of `active` top to bottom, sub-states side by side, the
 * final and hold states in the last row), every transition with a target becomes an arrow, the
 * current state is highlighted and visited states are marked. Pure: returns an SVG string.
 */
import type { AnyStateMachine } from "xstate";

type Node = {
  id: string;
  key: string;
  type: string;
  states: Record<string, Node>;
  transitions: Map<string, Array<{ eventType: string; target?: Node[] }>>;
  always?: Array<{ target?: Node[] }>;
};

type Box = { path: string; x: number; y: number; w: number; h: number; compound: boolean; label: string };

const W = 900;
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** "assignment.active.screening.reviewing" → "screening.reviewing" (the flattened state the rows store). */
export function pathOf(id: string): string {
  return id
    .split(".")
    .filter((p, i) => !(i === 0 && p === "assignment") && !(i === 1 && p === "active"))
    .join(".")
    .replace(/^active$/, "active");
}

/** Wraps a label into lines of at most `n` characters. */
function wrap(s: string, n: number): string[] {
  const out: string[] = [];
  let cur = "";
  for (const w of s.split(" ")) {
    if ((cur + " " + w).trim().length > n && cur) {
      out.push(cur);
      cur = w;
    } else cur = (cur + " " + w).trim();
  }
  if (cur) out.push(cur);
  return out.slice(0, 3);
}

export type StatechartInput = {
  machine: AnyStateMachine;
  current: string;
  visited: string[];
  label: (path: string, compound: boolean) => string;
  eventLabel: (type: string) => string;
  title: string;
};

/** Where every state sits: its box, the `active` frame around the open states, the final row. */
type Layout = { boxes: Map<string, Box>; activeBox: Box; finalKeys: string[]; height: number };

type Edge = { from: Box; to: Box; events: string[] };

const PAD = 16;

/** The stages of `active` top to bottom (a compound stage holds its sub-states side by side); returns the next y. */
function layoutStages(active: Node, input: StatechartInput, boxes: Map<string, Box>): number {
  let y = 44;
  for (const stage of Object.values(active.states)) {
    if (stage.type === "history") continue;
    const kids = Object.values(stage.states).filter((k) => k.type !== "history" && k.key !== "routing");
    const path = pathOf(stage.id);
    if (!kids.length) {
      const w = 300;
      boxes.set(path, { path, x: (W - 130) / 2 - 150, y, w, h: 40, compound: false, label: input.label(path, false) });
      y += 40 + 30;
      continue;
    }
    const h = 92;
    boxes.set(path, { path, x: 40, y, w: W - 80 - 130, h, compound: true, label: input.label(path, true) });
    const gap = 12;
    const kw = (W - 80 - 130 - 2 * PAD - gap * (kids.length - 1)) / kids.length;
    kids.forEach((k, i) => {
      const p = pathOf(k.id);
      const x = 40 + PAD + i * (kw + gap);
      boxes.set(p, { path: p, x, y: y + 30, w: kw, h: 50, compound: false, label: input.label(p, false) });
    });
    y += h + 30;
  }
  return y;
}

function layoutOf(root: Node, input: StatechartInput): Layout {
  const boxes = new Map<string, Box>();
  const y = layoutStages(root.states.active, input, boxes);
  const activeBox: Box = {
    path: "active",
    x: 20,
    y: 30,
    w: W - 40 - 110,
    h: y - 30 - 14,
    compound: true,
    label: input.label("active", true),
  };
  // Hold sits to the right of the open states; the final states below them.
  const holdY = 30 + activeBox.h / 2 - 25;
  boxes.set("onHold", {
    path: "onHold",
    x: W - 120,
    y: holdY,
    w: 110,
    h: 50,
    compound: false,
    label: input.label("onHold", false),
  });
  const finals = Object.values(root.states).filter((s) => s.key !== "active" && s.key !== "onHold");
  const fw = (W - 40 - 12 * (finals.length - 1)) / finals.length;
  finals.forEach((s, i) =>
    boxes.set(s.key, {
      path: s.key,
      x: 20 + i * (fw + 12),
      y: y + 10,
      w: fw,
      h: 44,
      compound: false,
      label: input.label(s.key, false),
    }),
  );
  return { boxes, activeBox, finalKeys: finals.map((s) => s.key), height: y + 10 + 44 + 16 + 10 };
}

/** Every transition with a target, merged per pair of boxes (history and routing nodes count as their frame). */
function edgesOf(root: Node, L: Layout): Edge[] {
  const boxOf = (n: Node): Box | undefined => {
    if (n.type === "history" || n.key === "hist" || n.key === "active") return L.activeBox;
    if (n.key === "routing") return L.boxes.get(pathOf(n.id).split(".")[0]);
    return L.boxes.get(pathOf(n.id));
  };
  const edges: Edge[] = [];
  const walk = (n: Node) => {
    const from = boxOf(n);
    const ts: Array<{ eventType: string; target?: Node[] }> = [
      ...[...n.transitions.values()].flat(),
      ...(n.always ?? []).map((t) => ({ ...t, eventType: "" })),
    ];
    for (const t of ts)
      for (const target of t.target ?? []) {
        const to = boxOf(target);
        if (!from || !to || from === to) continue;
        const e = edges.find((x) => x.from === from && x.to === to);
        if (!e) edges.push({ from, to, events: t.eventType ? [t.eventType] : [] });
        else if (t.eventType && !e.events.includes(t.eventType)) e.events.push(t.eventType);
      }
    for (const k of Object.values(n.states)) walk(k);
  };
  walk(root);
  return edges;
}

type Geometry = { d: string; lx: number; ly: number };

/** Out of (or into) the `active` frame: to hold on the right, else straight down (or up). */
function frameEdge(f: Box, t: Box, L: Layout): Geometry {
  if (f === L.activeBox) {
    const hold = t.path === "onHold";
    const sy = hold ? t.y + 12 : t.y;
    return {
      d: hold ? `M${f.x + f.w} ${sy}L${t.x - 2} ${sy}` : `M${t.x + t.w / 2} ${f.y + f.h}L${t.x + t.w / 2} ${t.y - 2}`,
      lx: hold ? f.x + f.w + 2 : t.x + t.w / 2 + 4,
      ly: hold ? sy - 4 : f.y + f.h + 12,
    };
  }
  const sy = f.y + f.h - 12;
  return {
    d:
      f.path === "onHold"
        ? `M${f.x} ${sy}L${t.x + t.w + 2} ${sy}`
        : `M${f.x + f.w / 2} ${f.y}L${f.x + f.w / 2} ${t.y + t.h + 2}`,
    lx: t.x + t.w + 2,
    ly: sy + 14,
  };
}

/** Same row or parent/child: horizontal. */
function sideEdge(f: Box, t: Box): Geometry {
  const right = t.x > f.x;
  const sy = Math.max(f.y, t.y) + Math.min(f.h, t.h) / 2 + (right ? -6 : 6);
  return {
    d: right ? `M${f.x + f.w} ${sy}L${t.x - 2} ${sy}` : `M${f.x} ${sy}L${t.x + t.w + 2} ${sy}`,
    lx: (f.x + t.x + t.w) / 2,
    ly: sy - 3,
  };
}

/**
 * Into a final state: out to the right, down a lane of its own beside the stages, then across
 * under the open states — never diagonally through them.
 */
function finalEdge(f: Box, t: Box, L: Layout): Geometry {
  const i = L.finalKeys.indexOf(t.path);
  const lane = L.activeBox.x + L.activeBox.w - 34 + i * 11;
  const sy = f.y + f.h / 2 + 6;
  const ty = t.y - 8 - i * 5;
  const tx = t.x + t.w / 2 + (i - 1) * 20;
  return { d: `M${f.x + f.w} ${sy}L${lane} ${sy}L${lane} ${ty}L${tx} ${ty}L${tx} ${t.y - 2}`, lx: 0, ly: 0 };
}

function downEdge(f: Box, t: Box): Geometry {
  const x1 = f.x + f.w / 2;
  const x2 = t.x + t.w / 2;
  return {
    d: `M${x1} ${f.y + f.h}C${x1} ${f.y + f.h + 20},${x2} ${t.y - 20},${x2} ${t.y - 2}`,
    lx: (x1 + x2) / 2 + 6,
    ly: (f.y + f.h + t.y) / 2 + 4,
  };
}

/** Backwards: along a lane in the left margin (from a final state, first under the bottom row). */
function backEdge(f: Box, t: Box, L: Layout, lanes: { n: number }): Geometry {
  const lane = 8 + (lanes.n++ % 3) * 4;
  const ty = t.y + t.h / 2;
  const d = L.finalKeys.includes(f.path)
    ? `M${f.x + f.w / 2} ${f.y + f.h}L${f.x + f.w / 2} ${f.y + f.h + 8}L${lane} ${f.y + f.h + 8}L${lane} ` +
      `${ty}L${t.x - 2} ${ty}`
    : `M${f.x} ${f.y + f.h / 2}L${lane + 4} ${f.y + f.h / 2}L${lane + 4} ${ty}L${t.x - 2} ${ty}`;
  return { d, lx: 0, ly: 0 };
}

function geometryOf(e: Edge, L: Layout, lanes: { n: number }): Geometry {
  const { from: f, to: t } = e;
  if (f === L.activeBox || t === L.activeBox) return frameEdge(f, t, L);
  if (Math.abs(f.y - t.y) < 5 || (t.y > f.y && t.y < f.y + f.h) || (f.y > t.y && f.y < t.y + t.h))
    return sideEdge(f, t);
  if (L.finalKeys.includes(t.path) && t.y > f.y) return finalEdge(f, t, L);
  if (t.y > f.y) return downEdge(f, t);
  return backEdge(f, t, L, lanes);
}

const STYLE =
  "<style>" +
  ".n{fill:#fff;stroke:#7b8794;stroke-width:1.5}.c{fill:#f3f6fa;stroke:#9aa6b2;stroke-width:1.2}" +
  ".a{fill:none;stroke:#9aa6b2;stroke-dasharray:6 4}.cur{fill:#0b4f8a;stroke:#062e52;stroke-width:3}" +
  ".curc{fill:#dce9f6;stroke:#0b4f8a;stroke-width:2}.vis{fill:#e3f4e7;stroke:#1e6b34;stroke-width:1.5}" +
  'text{font-family:"Noto Sans",Arial,sans-serif;fill:#1b1f24}.t{font-size:13px}' +
  ".tw{font-size:13px;fill:#fff;font-weight:700}.tc{font-size:13px;font-weight:700;fill:#0b4f8a}" +
  ".e{stroke:#4f5863;stroke-width:1.3;fill:none}.el{font-size:10px;fill:#4f5863}</style>";

const rect = (b: Box, cls: string) =>
  `<rect x="${b.x}" y="${b.y}" width="${b.w}" height="${b.h}" rx="${b.compound ? 10 : 8}" class="${cls}"/>`;

function openSvg(input: StatechartInput, height: number): string[] {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="statechart" viewBox="0 0 ${W} ${height}" role="img" ` +
      `aria-labelledby="sc-title sc-desc">`,
    `<title id="sc-title">${esc(input.title)}</title>` +
      `<desc id="sc-desc">${esc(input.label(input.current, false))}</desc>`,
    `<defs><marker id="arr" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" ` +
      `orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="#4f5863"/></marker></defs>`,
    STYLE,
  ];
}

/** The frames: `active` and each compound stage (the current one highlighted). */
function drawFrames(L: Layout, current: string): string[] {
  const curStage = current.split(".")[0];
  const out = [rect(L.activeBox, "a")];
  out.push(`<text x="${L.activeBox.x + 8}" y="${L.activeBox.y - 8}" class="tc">${esc(L.activeBox.label)}</text>`);
  for (const b of L.boxes.values()) {
    if (!b.compound) continue;
    out.push(rect(b, b.path === curStage ? "curc" : "c"));
    out.push(`<text x="${b.x + 10}" y="${b.y + 19}" class="tc">${esc(b.label)}</text>`);
  }
  return out;
}

/** The arrows, labelled with their events where there is room (one or two events, or out of the frame). */
function drawEdges(edges: Edge[], L: Layout, eventLabel: (type: string) => string): string[] {
  const out: string[] = [];
  const lanes = { n: 0 };
  for (const e of edges) {
    const { d, lx, ly } = geometryOf(e, L, lanes);
    out.push(
      `<path d="${d}" class="e" marker-end="url(#arr)">` +
        `<title>${esc(e.events.map(eventLabel).join(", "))}</title></path>`,
    );
    const labelled = e.from === L.activeBox || (e.events.length && e.events.length <= 2);
    const words = esc(e.events.map(eventLabel).join(" / "));
    if (lx && labelled) out.push(`<text x="${lx}" y="${ly}" class="el">${words}</text>`);
  }
  return out;
}

/** The simple states: the current one filled with a marker, visited ones green, labels wrapped. */
function drawStates(L: Layout, input: StatechartInput): string[] {
  const visited = new Set(input.visited);
  const out: string[] = [];
  for (const b of L.boxes.values()) {
    if (b.compound) continue;
    const isCur = b.path === input.current;
    out.push(rect(b, isCur ? "cur" : visited.has(b.path) ? "vis" : "n"));
    const lines = wrap(b.label, Math.max(10, Math.floor(b.w / 7.6)));
    const cy = b.y + b.h / 2 - ((lines.length - 1) * 15) / 2 + 4.5;
    lines.forEach((l, i) =>
      out.push(
        `<text x="${b.x + b.w / 2}" y="${cy + i * 15}" text-anchor="middle" ` +
          `class="${isCur ? "tw" : "t"}">${esc(l)}</text>`,
      ),
    );
    if (isCur) out.push(`<circle cx="${b.x + 10}" cy="${b.y + 10}" r="5" fill="#f2b705"/>`);
  }
  return out;
}

/** The SVG markup. */
export function statechartSvg(input: StatechartInput): string {
  const root = (input.machine as unknown as { root: Node }).root;
  const L = layoutOf(root, input);
  return [
    ...openSvg(input, L.height),
    ...drawFrames(L, input.current),
    // Edges under the boxes.
    ...drawEdges(edgesOf(root, L), L, input.eventLabel),
    ...drawStates(L, input),
    `</svg>`,
  ].join("");
}

/** The machine's state paths in drawing order (for a text list beside the picture). */
export function statePaths(machine: AnyStateMachine): string[] {
  const root = (machine as unknown as { root: Node }).root;
  const out: string[] = [];
  const walk = (n: Node) => {
    for (const k of Object.values(n.states)) {
      if (k.type === "history" || k.key === "routing") continue;
      const kids = Object.values(k.states).filter((x) => x.type !== "history");
      if (kids.length) walk(k);
      else out.push(pathOf(k.id));
    }
  };
  walk(root);
  return out;
}
