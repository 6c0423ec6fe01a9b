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

/** The SVG markup. */
export function statechartSvg(input: StatechartInput): string {
  const root = (input.machine as unknown as { root: Node }).root;
  const active = root.states.active;
  const boxes = new Map<string, Box>();
  let y = 44;
  const pad = 16;
  for (const stage of Object.values(active.states)) {
    if (stage.type === "history") continue;
    const kids = Object.values(stage.states).filter(
      (k) => k.type !== "history" && Object.keys(k.transitions).length >= 0 && k.key !== "routing",
    );
    const path = pathOf(stage.id);
    if (kids.length) {
      const h = 92;
      boxes.set(path, { path, x: 40, y, w: W - 80 - 130, h, compound: true, label: input.label(path, true) });
      const inner = W - 80 - 130 - 2 * pad;
      const gap = 12;
      const kw = (inner - gap * (kids.length - 1)) / kids.length;
      kids.forEach((k, i) => {
        const p = pathOf(k.id);
        boxes.set(p, {
          path: p,
          x: 40 + pad + i * (kw + gap),
          y: y + 30,
          w: kw,
          h: 50,
          compound: false,
          label: input.label(p, false),
        });
      });
      y += h + 30;
    } else {
      boxes.set(path, {
        path,
        x: (W - 130) / 2 - 150,
        y,
        w: 300,
        h: 40,
        compound: false,
        label: input.label(path, false),
      });
      y += 40 + 30;
    }
  }
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
  const onHold = root.states.onHold;
  boxes.set("onHold", {
    path: "onHold",
    x: W - 120,
    y: 30 + activeBox.h / 2 - 25,
    w: 110,
    h: 50,
    compound: false,
    label: input.label("onHold", false),
  });
  const finals = Object.values(root.states).filter((s) => s.key !== "active" && s.key !== "onHold");
  const finalKeys = finals.map((s) => s.key);
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
  const height = y + 10 + 44 + 16 + 10;
  let backLane = 0;

  const boxOf = (n: Node): Box | undefined => {
    if (n.type === "history" || n.key === "hist") return activeBox;
    if (n.key === "routing") return boxes.get(pathOf(n.id).split(".")[0]);
    if (n.key === "active") return activeBox;
    return boxes.get(pathOf(n.id));
  };

  // Edges from every node's transitions.
  type Edge = { from: Box; to: Box; events: string[] };
  const edges: Edge[] = [];
  const walk = (n: Node) => {
    const from = boxOf(n);
    const ts: Array<{ eventType: string; target?: Node[] }> = [
      ...[...n.transitions.values()].flat(),
      ...(n.always ?? []).map((t) => ({ ...t, eventType: "" })),
    ];
    for (const t of ts) {
      for (const target of t.target ?? []) {
        const to = boxOf(target);
        if (!from || !to || from === to) continue;
        const e = edges.find((x) => x.from === from && x.to === to);
        if (e) {
          if (t.eventType && !e.events.includes(t.eventType)) e.events.push(t.eventType);
        } else edges.push({ from, to, events: t.eventType ? [t.eventType] : [] });
      }
    }
    for (const k of Object.values(n.states)) walk(k);
  };
  walk(root);

  const cur = input.current;
  const curStage = cur.split(".")[0];
  const visited = new Set(input.visited);
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="statechart" viewBox="0 0 ${W} ${height}" role="img" ` +
      `aria-labelledby="sc-title sc-desc">`,
  );
  out.push(`<title id="sc-title">${esc(input.title)}</title><desc id="sc-desc">${esc(input.label(cur, false))}</desc>`);
  out.push(
    `<defs><marker id="arr" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" ` +
      `orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="#4f5863"/></marker></defs>`,
  );
  const rect = (b: Box, cls: string) =>
    `<rect x="${b.x}" y="${b.y}" width="${b.w}" height="${b.h}" rx="${b.compound ? 10 : 8}" class="${cls}"/>`;
  out.push(
    "<style>" +
      ".n{fill:#fff;stroke:#7b8794;stroke-width:1.5}.c{fill:#f3f6fa;stroke:#9aa6b2;stroke-width:1.2}" +
      ".a{fill:none;stroke:#9aa6b2;stroke-dasharray:6 4}.cur{fill:#0b4f8a;stroke:#062e52;stroke-width:3}" +
      ".curc{fill:#dce9f6;stroke:#0b4f8a;stroke-width:2}.vis{fill:#e3f4e7;stroke:#1e6b34;stroke-width:1.5}" +
      'text{font-family:"Noto Sans",Arial,sans-serif;fill:#1b1f24}.t{font-size:13px}' +
      ".tw{font-size:13px;fill:#fff;font-weight:700}.tc{font-size:13px;font-weight:700;fill:#0b4f8a}" +
      ".e{stroke:#4f5863;stroke-width:1.3;fill:none}.el{font-size:10px;fill:#4f5863}</style>",
  );
  out.push(rect(activeBox, "a"));
  out.push(`<text x="${activeBox.x + 8}" y="${activeBox.y - 8}" class="tc">${esc(activeBox.label)}</text>`);
  for (const b of boxes.values()) {
    if (!b.compound) continue;
    out.push(rect(b, b.path === curStage ? "curc" : "c"));
    out.push(`<text x="${b.x + 10}" y="${b.y + 19}" class="tc">${esc(b.label)}</text>`);
  }
  // Edges under the boxes.
  for (const e of edges) {
    const f = e.from,
      t = e.to;
    let d: string;
    let lx: number, ly: number;
    if (f === activeBox) {
      const sy = t.path === "onHold" ? t.y + 12 : t.y;
      d =
        t.path === "onHold"
          ? `M${f.x + f.w} ${sy}L${t.x - 2} ${sy}`
          : `M${t.x + t.w / 2} ${f.y + f.h}L${t.x + t.w / 2} ${t.y - 2}`;
      lx = t.path === "onHold" ? f.x + f.w + 2 : t.x + t.w / 2 + 4;
      ly = t.path === "onHold" ? sy - 4 : f.y + f.h + 12;
    } else if (t === activeBox) {
      const sy = f.y + f.h - 12;
      d =
        f.path === "onHold"
          ? `M${f.x} ${sy}L${t.x + t.w + 2} ${sy}`
          : `M${f.x + f.w / 2} ${f.y}L${f.x + f.w / 2} ${t.y + t.h + 2}`;
      lx = t.x + t.w + 2;
      ly = sy + 14;
    } else if (Math.abs(f.y - t.y) < 5 || (t.y > f.y && t.y < f.y + f.h) || (f.y > t.y && f.y < t.y + t.h)) {
      // Same row or parent/child: horizontal.
      const right = t.x > f.x;
      const sy = Math.max(f.y, t.y) + Math.min(f.h, t.h) / 2 + (right ? -6 : 6);
      d = right ? `M${f.x + f.w} ${sy}L${t.x - 2} ${sy}` : `M${f.x} ${sy}L${t.x + t.w + 2} ${sy}`;
      lx = (f.x + t.x + t.w) / 2;
      ly = sy - 3;
    } else if (finalKeys.includes(t.path) && t.y > f.y) {
      // Into a final state: out to the right, down a lane of its own beside the stages, then across
      // under the open states — never diagonally through them.
      const lane = activeBox.x + activeBox.w - 34 + finalKeys.indexOf(t.path) * 11;
      const sy = f.y + f.h / 2 + 6;
      const ty = t.y - 8 - finalKeys.indexOf(t.path) * 5;
      const tx = t.x + t.w / 2 + (finalKeys.indexOf(t.path) - 1) * 20;
      d = `M${f.x + f.w} ${sy}L${lane} ${sy}L${lane} ${ty}L${tx} ${ty}L${tx} ${t.y - 2}`;
      lx = 0;
      ly = 0;
    } else if (t.y > f.y) {
      const x1 = f.x + f.w / 2,
        x2 = t.compound ? t.x + t.w / 2 : t.x + t.w / 2;
      d = `M${x1} ${f.y + f.h}C${x1} ${f.y + f.h + 20},${x2} ${t.y - 20},${x2} ${t.y - 2}`;
      lx = (x1 + x2) / 2 + 6;
      ly = (f.y + f.h + t.y) / 2 + 4;
    } else {
      // Backwards: along a lane in the left margin (from a final state, first under the bottom row).
      const lane = 8 + (backLane++ % 3) * 4;
      const ty = t.y + t.h / 2;
      d = finalKeys.includes(f.path)
        ? `M${f.x + f.w / 2} ${f.y + f.h}L${f.x + f.w / 2} ${f.y + f.h + 8}L${lane} ${f.y + f.h + 8}L${lane} ` +
          `${ty}L${t.x - 2} ${ty}`
        : `M${f.x} ${f.y + f.h / 2}L${lane + 4} ${f.y + f.h / 2}L${lane + 4} ${ty}L${t.x - 2} ${ty}`;
      lx = 0;
      ly = 0;
    }
    const title = e.events.map(input.eventLabel).join(", ");
    out.push(`<path d="${d}" class="e" marker-end="url(#arr)"><title>${esc(title)}</title></path>`);
    if (lx && e.events.length && e.events.length <= 2 && !(f === activeBox))
      out.push(`<text x="${lx}" y="${ly}" class="el">${esc(e.events.join(" / "))}</text>`);
    else if (lx && f === activeBox)
      out.push(`<text x="${lx}" y="${ly}" class="el">${esc(e.events.join(" / "))}</text>`);
  }
  for (const b of boxes.values()) {
    if (b.compound) continue;
    const isCur = b.path === cur;
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
  out.push(`</svg>`);
  void onHold;
  return out.join("");
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
