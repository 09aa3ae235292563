package org.dcsm.core.pipeline;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a task over a stream of items (images of a dataset, files of a folder), one at a time, so that
 * nothing but the current item is held in memory: an item whose task throws is reported to the
 * {@link ProgressListener}, logged and skipped; the run goes on, and the {@link BatchReport} lists the
 * failures. An {@link Error} (e.g. out of memory) still ends the run.
 *
 * <p>Items are typically lightweight handles (an id or a path) whose task loads the data, so that a
 * corrupt file fails its own item only. Stateless.
 */
public final class BatchRunner {

    private static final Logger LOG = LoggerFactory.getLogger(BatchRunner.class);

    /** The work done for one item. */
    @FunctionalInterface
    public interface Task<T> {
        void run(T item) throws Exception;
    }

    private BatchRunner() {
    }

    /**
     * Runs {@code task} on every item.
     *
     * @param items    the items, iterated once
     * @param total    the number of items when known (for progress), or -1
     * @param idOf     an item's id for reports
     * @param task     the work; an exception fails the item only
     * @param listener progress; may be {@link ProgressListener#none()}
     * @return how many succeeded and which failed
     */
    public static <T> BatchReport run(Iterable<T> items, long total, Function<? super T, String> idOf, Task<? super T> task,
                                      ProgressListener listener) {
        Objects.requireNonNull(items, "items");
        Objects.requireNonNull(idOf, "idOf");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(listener, "listener");
        listener.started(total);
        int ok = 0;
        List<BatchReport.Failure> failures = new ArrayList<>();
        Iterator<T> it = items.iterator();
        int index = 0;
        while (it.hasNext()) {
            T item;
            try {
                item = it.next();
            } catch (RuntimeException e) {
                // a streaming source that fails to produce an item: report it under its position
                String id = "#" + index;
                fail(failures, listener, id, e);
                index++;
                continue;
            }
            String id = idOf.apply(item);
            try {
                task.run(item);
                ok++;
                listener.succeeded(id);
            } catch (Exception e) {
                fail(failures, listener, id, e);
            }
            index++;
        }
        BatchReport report = new BatchReport(ok, failures);
        listener.finished(report);
        return report;
    }

    private static void fail(List<BatchReport.Failure> failures, ProgressListener listener, String id, Exception e) {
        String message = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getName() : e.getMessage();
        LOG.warn("Skipping {}: {}", id, message);
        LOG.debug("Failure of {}", id, e);
        failures.add(new BatchReport.Failure(id, message));
        listener.failed(id, e);
    }
}
