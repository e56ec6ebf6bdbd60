//! The main job. (Quotes several real services once the catalogue lands.)

fn main() {
    println!("eservices {}", env!("CARGO_PKG_VERSION"));
}
