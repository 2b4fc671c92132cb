fn main() {
    std::process::exit(clawauth::cli::run_from_env());
}
