//! Times all eight indices of the EU Council game (2025 shares) in-process:
//! `cargo run --release -p negotium-voting --example time_eu27 -- [REPEAT]`.

use negotium_voting::{power, Game, PowerOptions, WeightedQuota};

const EU27_2025: [u64; 27] = [
    1849, 1517, 1323, 1078, 833, 423, 401, 262, 242, 236, 234, 231, 213, 202, 143, 132, 125, 121,
    119, 86, 64, 47, 42, 30, 21, 15, 12,
];

fn main() {
    let repeat: usize = std::env::args()
        .nth(1)
        .map(|r| r.parse().expect("repeat"))
        .unwrap_or(10);
    let game = Game::new(
        vec![
            WeightedQuota {
                weights: vec![1; 27],
                quota: 15,
            },
            WeightedQuota {
                weights: EU27_2025.to_vec(),
                quota: 6501,
            },
        ],
        vec![false; 27],
        Some(4),
    )
    .expect("game");
    let mut times = Vec::new();
    for _ in 0..repeat.max(1) {
        let t = std::time::Instant::now();
        let r = power(&game, &PowerOptions::default()).expect("power");
        times.push(t.elapsed().as_secs_f64() * 1e3);
        std::hint::black_box(r);
    }
    times.sort_by(|a, b| a.total_cmp(b));
    println!(
        "eu27 all indices: best {:.1} ms, median {:.1} ms over {} runs",
        times[0],
        times[times.len() / 2],
        times.len()
    );
}
