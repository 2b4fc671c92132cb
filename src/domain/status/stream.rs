//! Work on chunks in parallel, results in order: each worker takes every
//! `workers`-th chunk and hands its result over a one-slot channel, and the caller
//! consumes the results in chunk order. The output is the same as a sequential run,
//! and at most one result per worker waits in memory.

/// `work` on each chunk of `items` (chunks of `size`), `take` on each result in order.
/// Stops at the first error of either.
pub(crate) fn ordered_chunks<T: Sync, R: Send>(
    items: &[T],
    size: usize,
    work: impl Fn(&[T]) -> std::io::Result<R> + Sync,
    mut take: impl FnMut(R) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(4);
    let chunks: Vec<&[T]> = items.chunks(size.max(1)).collect();
    std::thread::scope(|scope| {
        let receivers: Vec<_> = (0..workers)
            .map(|w| {
                let (tx, rx) = std::sync::mpsc::sync_channel::<std::io::Result<R>>(1);
                let (chunks, work) = (&chunks, &work);
                scope.spawn(move || {
                    for chunk in chunks.iter().skip(w).step_by(workers) {
                        if tx.send(work(chunk)).is_err() {
                            return;
                        }
                    }
                });
                rx
            })
            .collect();
        for i in 0..chunks.len() {
            let part = receivers[i % workers].recv();
            take(part.map_err(std::io::Error::other)??)?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_in_chunk_order() {
        let items: Vec<u32> = (0..1000).collect();
        let mut seen = Vec::new();
        let sums = |c: &[u32]| -> std::io::Result<Vec<u32>> { Ok(c.to_vec()) };
        ordered_chunks(&items, 7, sums, |r| {
            seen.extend(r);
            Ok(())
        })
        .unwrap();
        assert_eq!(seen, items);
    }

    #[test]
    fn an_error_stops_the_run() {
        let items: Vec<u32> = (0..100).collect();
        let mut taken = 0;
        let work = |c: &[u32]| match c[0] {
            40 => Err(std::io::Error::other("stop")),
            _ => Ok(()),
        };
        let out = ordered_chunks(&items, 10, work, |_| {
            taken += 1;
            Ok(())
        });
        assert!(out.is_err());
        assert_eq!(taken, 4);
    }
}
