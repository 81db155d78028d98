/**
 * Loss landscapes drawn as shaded 3-D surfaces, one panel per model side by side (the tutorial's
 * ch. 4 figure: coolwarm colours by height, lit from above). Orthographic view, painter's order
 * (far quads first), each panel scaled to its own loss range — printed under it, since a robust
 * model's surface is flat only relative to a standard model's scale.
 */
import type { LossLandscape } from './landscape.js';
import { BLACK, Raster, type RGB } from './raster.js';

export interface SurfacePanel {
  title: string;
  landscape: LossLandscape;
}

export interface SurfaceOptions {
  /** Size of one panel in pixels (default 420 × 400). */
  width?: number;
  height?: number;
  /** View angles in degrees (default azimuth −50, elevation 28). */
  azimuth?: number;
  elevation?: number;
}

/** Matplotlib's coolwarm, by linear interpolation between its end and mid colours. */
export function coolwarm(t: number): RGB {
  const u = Math.max(0, Math.min(1, Number.isFinite(t) ? t : 0));
  const lo: RGB = [59, 76, 192];
  const mid: RGB = [221, 221, 221];
  const hi: RGB = [180, 4, 38];
  const [a, b, f] = u < 0.5 ? [lo, mid, u / 0.5] : [mid, hi, (u - 0.5) / 0.5];
  return [0, 1, 2].map((i) => Math.round(a[i] + (b[i] - a[i]) * f)) as unknown as RGB;
}

const edge = (ax: number, ay: number, bx: number, by: number, px: number, py: number): number => (bx - ax) * (py - ay) - (by - ay) * (px - ax);

/** Fills a triangle (either orientation; shared edges drawn by both neighbours, so no cracks). */
function fillTriangle(r: Raster, ax: number, ay: number, bx: number, by: number, cx: number, cy: number, c: RGB): void {
  const area = edge(ax, ay, bx, by, cx, cy);
  if (area === 0) return;
  const s = Math.sign(area);
  const x0 = Math.max(0, Math.floor(Math.min(ax, bx, cx)));
  const x1 = Math.min(r.width - 1, Math.ceil(Math.max(ax, bx, cx)));
  const y0 = Math.max(0, Math.floor(Math.min(ay, by, cy)));
  const y1 = Math.min(r.height - 1, Math.ceil(Math.max(ay, by, cy)));
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const px = x + 0.5;
      const py = y + 0.5;
      if (s * edge(ax, ay, bx, by, px, py) >= -0.5 && s * edge(bx, by, cx, cy, px, py) >= -0.5 && s * edge(cx, cy, ax, ay, px, py) >= -0.5) r.set(x, y, c);
    }
  }
}

function line(r: Raster, x0: number, y0: number, x1: number, y1: number, c: RGB): void {
  const n = Math.max(1, Math.ceil(Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0))));
  for (let i = 0; i <= n; i++) r.set(Math.round(x0 + ((x1 - x0) * i) / n), Math.round(y0 + ((y1 - y0) * i) / n), c);
}

const fmt = (v: number): string => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toPrecision(2));

function drawPanel(r: Raster, ox: number, p: SurfacePanel, w: number, h: number, azimuth: number, elevation: number): void {
  const L = p.landscape;
  const n = L.resolution;
  const range = L.max > L.min ? L.max - L.min : 1;
  const a = (azimuth * Math.PI) / 180;
  const e = (elevation * Math.PI) / 180;
  const zScale = 1.1;
  // Grid point (col → random direction, row → gradient sign) in [−1, 1]² × [0, zScale].
  const point = (row: number, col: number): [number, number, number] => {
    const v = L.loss[row * n + col];
    return [(2 * col) / (n - 1) - 1, (2 * row) / (n - 1) - 1, Number.isFinite(v) ? (zScale * (v - L.min)) / range : 0];
  };
  const view = (x: number, y: number, z: number): { sx: number; up: number; depth: number } => {
    const xr = x * Math.cos(a) - y * Math.sin(a);
    const yr = x * Math.sin(a) + y * Math.cos(a);
    return { sx: xr, up: z * Math.cos(e) + yr * Math.sin(e), depth: yr * Math.cos(e) - z * Math.sin(e) };
  };
  // Screen extent of the box, to fit the panel between the title and the captions.
  const corners = [-1, 1].flatMap((x) => [-1, 1].flatMap((y) => [0, zScale].map((z) => view(x, y, z))));
  const minX = Math.min(...corners.map((c) => c.sx));
  const maxX = Math.max(...corners.map((c) => c.sx));
  const minU = Math.min(...corners.map((c) => c.up));
  const maxU = Math.max(...corners.map((c) => c.up));
  const top = 30;
  const bottom = h - 46;
  const scale = Math.min((w - 40) / (maxX - minX), (bottom - top) / (maxU - minU));
  const cx = ox + w / 2 - (scale * (minX + maxX)) / 2;
  const cy = (top + bottom) / 2 + (scale * (minU + maxU)) / 2;
  const project = (x: number, y: number, z: number): [number, number] => {
    const q = view(x, y, z);
    return [cx + scale * q.sx, cy - scale * q.up];
  };

  // Base of the box, drawn first (behind the surface).
  const base = [
    [-1, -1],
    [1, -1],
    [1, 1],
    [-1, 1],
  ].map(([x, y]) => project(x, y, 0));
  for (let i = 0; i < 4; i++) line(r, base[i][0], base[i][1], base[(i + 1) % 4][0], base[(i + 1) % 4][1], [150, 150, 150]);

  const light = (() => {
    const l = [0.35, -0.45, 0.82];
    const m = Math.hypot(...l);
    return l.map((v) => v / m);
  })();
  const quads: { depth: number; row: number; col: number }[] = [];
  for (let row = 0; row < n - 1; row++)
    for (let col = 0; col < n - 1; col++) {
      let depth = 0;
      for (const [dr, dc] of [[0, 0], [0, 1], [1, 0], [1, 1]]) depth += view(...point(row + dr, col + dc)).depth;
      quads.push({ depth, row, col });
    }
  quads.sort((p1, p2) => p2.depth - p1.depth);
  for (const q of quads) {
    const p00 = point(q.row, q.col);
    const p01 = point(q.row, q.col + 1);
    const p10 = point(q.row + 1, q.col);
    const p11 = point(q.row + 1, q.col + 1);
    // Normal of the quad from its diagonals; shade = ambient + diffuse.
    const d1 = [p11[0] - p00[0], p11[1] - p00[1], p11[2] - p00[2]];
    const d2 = [p01[0] - p10[0], p01[1] - p10[1], p01[2] - p10[2]];
    const nx = d1[1] * d2[2] - d1[2] * d2[1];
    const ny = d1[2] * d2[0] - d1[0] * d2[2];
    const nz = d1[0] * d2[1] - d1[1] * d2[0];
    const nm = Math.hypot(nx, ny, nz) || 1;
    const shade = 0.55 + 0.45 * Math.abs((nx * light[0] + ny * light[1] + nz * light[2]) / nm);
    const height = (p00[2] + p01[2] + p10[2] + p11[2]) / (4 * zScale);
    const base = coolwarm(height);
    const c: RGB = [Math.round(base[0] * shade), Math.round(base[1] * shade), Math.round(base[2] * shade)];
    const [ax, ay] = project(...p00);
    const [bx, by] = project(...p01);
    const [qx, qy] = project(...p11);
    const [dx, dy] = project(...p10);
    fillTriangle(r, ax, ay, bx, by, qx, qy, c);
    fillTriangle(r, ax, ay, qx, qy, dx, dy, c);
  }

  r.text(ox + w / 2, 8, p.title, 2, BLACK);
  r.text(ox + w / 2, h - 40, `loss ${fmt(L.min)} to ${fmt(L.max)} (clean ${fmt(L.clean)})`, 1, BLACK);
  r.text(ox + w / 2, h - 26, `x: random sign, y: gradient sign, both +-${fmt(L.eps)}`, 1, [90, 90, 90]);
}

/** Panels side by side in one raster. */
export function lossSurfaceFigure(panels: readonly SurfacePanel[], o: SurfaceOptions = {}): Raster {
  const w = o.width ?? 420;
  const h = o.height ?? 400;
  const r = new Raster(Math.max(1, panels.length) * w, h);
  panels.forEach((p, i) => drawPanel(r, i * w, p, w, h, o.azimuth ?? -50, o.elevation ?? 28));
  return r;
}
