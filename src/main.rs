/// mimalloc: the status report allocates many small strings; the system
/// allocator spent a quarter of the fleet benchmark's time in malloc/free.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(clawauth::run_from_env());
}
