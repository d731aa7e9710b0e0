//! Force-directed layout: ForceAtlas2's forces (degree-weighted repulsion, linear
//! attraction along edges, gravity) with Barnes–Hut approximation of the repulsion
//! (O(n log n) per iteration) and FA2's adaptive speed, run a few iterations per
//! frame until it settles. Deterministic: the same graph gives the same positions.
//! Pinned nodes (dragged by the user) stay where they are; the rest relax around them.

/// Barnes–Hut accuracy: a cell whose size over distance is below this acts as one body
/// (Gephi's ForceAtlas2 default; graphology's is 0.5, which costs about four times as much
/// for a picture nobody can tell apart).
pub const THETA: f32 = 1.2;
/// Repulsion strength.
const SCALING: f32 = 2.0;
/// Gravity towards the centre (keeps components together).
const GRAVITY: f32 = 0.3;
/// Iterations after which the layout counts as settled whatever it does.
pub const MAX_ITERATIONS: u32 = 1000;
/// Settled when nodes move less than this share of the layout's size per iteration (FA2
/// keeps a small jitter for ever; below this nothing a user can see changes)…
const SETTLE_MOTION: f32 = 0.002;
/// …for this many iterations in a row.
const SETTLE_RUN: u32 = 10;
const NONE: u32 = u32::MAX;

#[derive(Debug, Clone, Copy)]
struct Cell {
    /// Centre of mass.
    cx: f32,
    cy: f32,
    mass: f32,
    /// Bounds: left, top, size.
    x0: f32,
    y0: f32,
    size: f32,
    /// First of four children (consecutive), or NONE for a leaf.
    child: u32,
    /// The body of a leaf with exactly one, or NONE.
    body: u32,
}

/// The layout state.
#[derive(Debug, Clone)]
pub struct Layout {
    /// Positions.
    pub pos: Vec<[f32; 2]>,
    /// Pinned nodes do not move.
    pub pinned: Vec<bool>,
    /// Hidden nodes exert and feel no force.
    pub hidden: Vec<bool>,
    mass: Vec<f32>,
    edges: Vec<(u32, u32)>,
    force: Vec<[f32; 2]>,
    old: Vec<[f32; 2]>,
    cells: Vec<Cell>,
    stack: Vec<u32>,
    speed: f32,
    efficiency: f32,
    /// Iterations run.
    pub iterations: u32,
    calm: u32,
    settled: bool,
}

impl Layout {
    /// A layout of `n` nodes linked by `edges`, starting on a spiral (deterministic).
    pub fn new(n: usize, edges: Vec<(u32, u32)>) -> Layout {
        let mut mass = vec![1.0f32; n];
        for &(a, b) in &edges {
            if let Some(m) = mass.get_mut(a as usize) {
                *m += 1.0;
            }
            if let Some(m) = mass.get_mut(b as usize) {
                *m += 1.0;
            }
        }
        let golden = std::f32::consts::PI * (3.0 - 5f32.sqrt());
        let pos = (0..n)
            .map(|i| {
                let r = 10.0 * (i as f32 + 0.5).sqrt();
                let a = i as f32 * golden;
                [r * a.cos(), r * a.sin()]
            })
            .collect();
        Layout {
            pos,
            pinned: vec![false; n],
            hidden: vec![false; n],
            mass,
            edges,
            force: vec![[0.0; 2]; n],
            old: vec![[0.0; 2]; n],
            cells: Vec::new(),
            stack: Vec::new(),
            speed: 1.0,
            efficiency: 1.0,
            iterations: 0,
            calm: 0,
            settled: n < 2,
        }
    }

    /// Whether it has settled (or hit the iteration cap).
    pub fn settled(&self) -> bool {
        self.settled
    }

    /// Starts moving again (after a drag or a change of what is shown).
    pub fn reheat(&mut self) {
        self.settled = self.pos.len() < 2;
        self.calm = 0;
        self.iterations = self.iterations.min(MAX_ITERATIONS / 2);
        self.speed = self.speed.max(0.5);
    }

    /// Bounds of the visible nodes: (min x, min y, max x, max y).
    pub fn bounds(&self) -> (f32, f32, f32, f32) {
        let mut b = (f32::INFINITY, f32::INFINITY, f32::NEG_INFINITY, f32::NEG_INFINITY);
        for (p, &h) in self.pos.iter().zip(&self.hidden) {
            if !h {
                b = (b.0.min(p[0]), b.1.min(p[1]), b.2.max(p[0]), b.3.max(p[1]));
            }
        }
        if !b.0.is_finite() {
            return (-1.0, -1.0, 1.0, 1.0);
        }
        b
    }

    fn build_tree(&mut self) {
        self.cells.clear();
        let (x0, y0, x1, y1) = self.bounds();
        let size = (x1 - x0).max(y1 - y0).max(1.0) * 1.001;
        self.cells.push(Cell { cx: 0.0, cy: 0.0, mass: 0.0, x0, y0, size, child: NONE, body: NONE });
        for i in 0..self.pos.len() {
            if self.hidden[i] {
                continue;
            }
            let [x, y] = self.pos[i];
            let m = self.mass[i];
            let mut c = 0usize;
            let mut depth = 0;
            loop {
                let cell = self.cells[c];
                // Every cell on the way gains the body's mass.
                let total = cell.mass + m;
                self.cells[c].cx = (cell.cx * cell.mass + x * m) / total;
                self.cells[c].cy = (cell.cy * cell.mass + y * m) / total;
                self.cells[c].mass = total;
                if cell.child == NONE {
                    if cell.mass == 0.0 {
                        self.cells[c].body = i as u32;
                        break;
                    }
                    if depth > 40 {
                        // Coincident bodies: the leaf holds several.
                        self.cells[c].body = NONE;
                        break;
                    }
                    // Split: the resident body moves down one level.
                    let first = self.cells.len() as u32;
                    let half = cell.size / 2.0;
                    for q in 0..4u32 {
                        self.cells.push(Cell {
                            cx: 0.0,
                            cy: 0.0,
                            mass: 0.0,
                            x0: cell.x0 + if q & 1 == 1 { half } else { 0.0 },
                            y0: cell.y0 + if q & 2 == 2 { half } else { 0.0 },
                            size: half,
                            child: NONE,
                            body: NONE,
                        });
                    }
                    self.cells[c].child = first;
                    self.cells[c].body = NONE;
                    if cell.body != NONE {
                        let b = cell.body as usize;
                        let [bx, by] = self.pos[b];
                        let q = quadrant(&self.cells[c], bx, by);
                        let t = (first + q) as usize;
                        self.cells[t] = Cell { cx: bx, cy: by, mass: self.mass[b], body: cell.body, ..self.cells[t] };
                    } else {
                        // A multi-body leaf that was at the depth limit cannot be here.
                    }
                }
                let q = quadrant(&self.cells[c], x, y);
                c = (self.cells[c].child + q) as usize;
                depth += 1;
            }
        }
    }

    /// One iteration. Returns the mean displacement relative to the layout's size.
    pub fn step(&mut self) -> f32 {
        let n = self.pos.len();
        if n == 0 {
            self.settled = true;
            return 0.0;
        }
        self.build_tree();
        std::mem::swap(&mut self.force, &mut self.old);
        // Repulsion (Barnes–Hut) and gravity.
        for i in 0..n {
            if self.hidden[i] {
                self.force[i] = [0.0; 2];
                continue;
            }
            let [x, y] = self.pos[i];
            let mi = self.mass[i];
            let (mut fx, mut fy) = (0.0f32, 0.0f32);
            self.stack.clear();
            self.stack.push(0);
            while let Some(c) = self.stack.pop() {
                let cell = self.cells[c as usize];
                if cell.mass == 0.0 || cell.body == i as u32 {
                    continue;
                }
                let (dx, dy) = (x - cell.cx, y - cell.cy);
                let d2 = dx * dx + dy * dy;
                if cell.child == NONE || cell.size * cell.size < THETA * THETA * d2 {
                    if d2 > 1e-6 {
                        // FA2: k · (m_i · m_j) / d, along the unit vector.
                        let f = SCALING * mi * cell.mass / d2;
                        fx += dx * f;
                        fy += dy * f;
                    } else {
                        // Coincident bodies: apart in a direction fixed by the pair.
                        let a = (i as f32) * 2.399_963 + c as f32 * 0.618_034;
                        fx += a.cos() * SCALING * mi;
                        fy += a.sin() * SCALING * mi;
                    }
                } else {
                    for q in 0..4 {
                        self.stack.push(cell.child + q);
                    }
                }
            }
            // Strong gravity (FA2's strongGravityMode: proportional to the distance), so
            // small components and lone alerts stay near the rest instead of drifting
            // to where weak gravity balances the repulsion of the whole graph.
            fx -= x * GRAVITY * mi;
            fy -= y * GRAVITY * mi;
            self.force[i] = [fx, fy];
        }
        // Attraction along edges (linear in distance).
        for &(a, b) in &self.edges {
            let (a, b) = (a as usize, b as usize);
            if self.hidden[a] || self.hidden[b] {
                continue;
            }
            let (dx, dy) = (self.pos[a][0] - self.pos[b][0], self.pos[a][1] - self.pos[b][1]);
            self.force[a][0] -= dx;
            self.force[a][1] -= dy;
            self.force[b][0] += dx;
            self.force[b][1] += dy;
        }
        // Adaptive speed (FA2): swinging against traction.
        let (mut swing, mut traction) = (0.0f32, 0.0f32);
        for i in 0..n {
            if self.hidden[i] {
                continue;
            }
            let ([fx, fy], [ox, oy]) = (self.force[i], self.old[i]);
            swing += self.mass[i] * ((fx - ox).powi(2) + (fy - oy).powi(2)).sqrt();
            traction += self.mass[i] * ((fx + ox).powi(2) + (fy + oy).powi(2)).sqrt() / 2.0;
        }
        let nf = n as f32;
        let estimated = 0.05 * nf.sqrt();
        let mut jitter = estimated.max(estimated.sqrt().max((traction / (nf * nf)).min(10.0)));
        if swing / traction.max(f32::MIN_POSITIVE) > 2.0 {
            if self.efficiency > 0.05 {
                self.efficiency *= 0.5;
            }
            jitter = jitter.max(1.0);
        }
        let target = jitter * self.efficiency * traction / swing.max(f32::MIN_POSITIVE);
        if swing > jitter * traction {
            if self.efficiency > 0.05 {
                self.efficiency *= 0.7;
            }
        } else if self.speed < 1000.0 {
            self.efficiency *= 1.3;
        }
        self.speed += (target - self.speed).min(0.5 * self.speed);
        if !self.speed.is_finite() || self.speed <= 0.0 {
            self.speed = 0.01;
        }
        // Move.
        let (x0, y0, x1, y1) = self.bounds();
        let scale = (x1 - x0).max(y1 - y0).max(1.0);
        let mut moved = 0.0f32;
        let mut movable = 0usize;
        for i in 0..n {
            if self.hidden[i] || self.pinned[i] {
                continue;
            }
            let ([fx, fy], [ox, oy]) = (self.force[i], self.old[i]);
            let swinging = self.mass[i] * ((fx - ox).powi(2) + (fy - oy).powi(2)).sqrt();
            let factor = self.speed / (1.0 + (self.speed * swinging).sqrt());
            // Never further than a tenth of the layout in one step.
            let (mut dx, mut dy) = (fx * factor, fy * factor);
            let len = (dx * dx + dy * dy).sqrt();
            if len > scale * 0.1 {
                dx *= scale * 0.1 / len;
                dy *= scale * 0.1 / len;
            }
            if dx.is_finite() && dy.is_finite() {
                self.pos[i][0] += dx;
                self.pos[i][1] += dy;
                moved += (dx * dx + dy * dy).sqrt();
            }
            movable += 1;
        }
        self.iterations += 1;
        let motion = moved / movable.max(1) as f32 / scale;
        if motion < SETTLE_MOTION {
            self.calm += 1;
        } else {
            self.calm = 0;
        }
        if self.calm >= SETTLE_RUN || self.iterations >= MAX_ITERATIONS || movable == 0 {
            self.settled = true;
        }
        motion
    }
}

fn quadrant(cell: &Cell, x: f32, y: f32) -> u32 {
    let half = cell.size / 2.0;
    u32::from(x >= cell.x0 + half) | (u32::from(y >= cell.y0 + half) << 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ring(n: u32) -> Vec<(u32, u32)> {
        (0..n).map(|i| (i, (i + 1) % n)).collect()
    }

    #[test]
    fn the_same_graph_gives_the_same_layout_and_it_settles() {
        let run = || {
            let mut l = Layout::new(200, ring(200));
            while !l.settled() {
                l.step();
            }
            (l.pos.clone(), l.iterations)
        };
        let (a, ia) = run();
        let (b, ib) = run();
        assert_eq!(ia, ib);
        assert_eq!(a, b, "deterministic");
        assert!(ia < MAX_ITERATIONS, "settled before the cap: {ia}");
        // A ring lays out as a ring: neighbours closer than the average pair.
        let d = |p: [f32; 2], q: [f32; 2]| ((p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2)).sqrt();
        let near: f32 = (0..200).map(|i| d(a[i], a[(i + 1) % 200])).sum::<f32>() / 200.0;
        let far: f32 = (0..200).map(|i| d(a[i], a[(i + 100) % 200])).sum::<f32>() / 200.0;
        assert!(near * 5.0 < far, "near {near} far {far}");
    }

    #[test]
    fn pinned_nodes_stay_and_coincident_nodes_do_not_break_the_tree() {
        let mut l = Layout::new(50, ring(50));
        for p in l.pos.iter_mut().take(10) {
            *p = [3.0, 3.0];
        }
        l.pinned[0] = true;
        for _ in 0..100 {
            l.step();
        }
        assert_eq!(l.pos[0], [3.0, 3.0]);
        assert!(l.pos.iter().all(|p| p[0].is_finite() && p[1].is_finite()));
        assert!(l.pos[1] != [3.0, 3.0], "coincident nodes were pushed apart");
    }

    #[test]
    fn barnes_hut_matches_exact_repulsion_closely() {
        let mut l = Layout::new(300, Vec::new());
        l.build_tree();
        // Exact force on node 7 against the tree's.
        let i = 7;
        let [x, y] = l.pos[i];
        let (mut ex, mut ey) = (0.0f32, 0.0f32);
        for j in 0..300 {
            if j != i {
                let (dx, dy) = (x - l.pos[j][0], y - l.pos[j][1]);
                let d2 = dx * dx + dy * dy;
                ex += dx * SCALING / d2;
                ey += dy * SCALING / d2;
            }
        }
        l.step();
        let (bx, by) = (l.force[i][0] + x * GRAVITY, l.force[i][1] + y * GRAVITY);
        let err = ((bx - ex).powi(2) + (by - ey).powi(2)).sqrt() / (ex * ex + ey * ey).sqrt();
        assert!(err < 0.1, "relative error {err}");
    }
}
