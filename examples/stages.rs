//! Builds a site like `brief build` and prints the time of each stage, for profiling.
//!
//! ```text
//! cargo run --release --example stages -- ROOT OUTPUT
//! ```

use std::path::PathBuf;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(root), Some(output)) = (args.next(), args.next()) else {
        eprintln!("usage: stages ROOT OUTPUT");
        std::process::exit(2);
    };
    let opts = brief::build::Options {
        root: PathBuf::from(root),
        ..Default::default()
    };
    match brief::build::build(&opts, &PathBuf::from(output)) {
        Ok(r) => {
            let t = &r.timings;
            println!(
                "{} briefings, {} files: load {} ms, model {} ms, render+write {} ms, total {} ms",
                r.briefings,
                r.pages,
                t.load.as_millis(),
                t.model.as_millis(),
                t.render.as_millis(),
                t.total.as_millis()
            );
        }
        Err(diags) => {
            eprintln!("{}", brief::diagnostic::render_all(&diags, false));
            std::process::exit(1);
        }
    }
}
