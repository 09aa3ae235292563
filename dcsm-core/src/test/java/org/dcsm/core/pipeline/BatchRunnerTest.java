package org.dcsm.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

import org.junit.jupiter.api.Test;

class BatchRunnerTest {

    /** Records every call, in order. */
    static final class Recorder implements ProgressListener {
        final List<String> events = new ArrayList<>();

        @Override
        public void started(long total) {
            events.add("start " + total);
        }

        @Override
        public void succeeded(String id) {
            events.add("ok " + id);
        }

        @Override
        public void failed(String id, Exception error) {
            events.add("fail " + id + ": " + error.getMessage());
        }

        @Override
        public void finished(BatchReport report) {
            events.add("end " + report.succeeded() + "/" + report.attempted());
        }
    }

    @Test
    void failedItemsAreReportedAndSkipped() {
        List<String> done = new ArrayList<>();
        Recorder rec = new Recorder();
        BatchReport report = BatchRunner.run(List.of("a", "bad", "c", "worse"), 4, s -> s, s -> {
            if (s.equals("bad")) {
                throw new IOException("corrupt JPEG in bad.jpg");
            }
            if (s.equals("worse")) {
                throw new IllegalStateException();
            }
            done.add(s);
        }, rec);
        assertThat(done).containsExactly("a", "c");
        assertThat(report.succeeded()).isEqualTo(2);
        assertThat(report.allSucceeded()).isFalse();
        assertThat(report.failures()).containsExactly(new BatchReport.Failure("bad", "corrupt JPEG in bad.jpg"),
                new BatchReport.Failure("worse", "java.lang.IllegalStateException"));
        assertThat(rec.events).containsExactly("start 4", "ok a", "fail bad: corrupt JPEG in bad.jpg", "ok c",
                "fail worse: null", "end 2/4");
    }

    @Test
    void aStreamThatFailsToProduceAnItemLosesOnlyThatItem() {
        Iterable<Integer> flaky = () -> new Iterator<>() {
            int i;

            @Override
            public boolean hasNext() {
                return i < 3;
            }

            @Override
            public Integer next() {
                if (i >= 3) {
                    throw new NoSuchElementException();
                }
                if (i++ == 1) {
                    throw new IllegalArgumentException("cannot decode item 1");
                }
                return i - 1;
            }
        };
        List<Integer> done = new ArrayList<>();
        BatchReport report = BatchRunner.run(flaky, -1, String::valueOf, done::add, ProgressListener.none());
        assertThat(done).containsExactly(0, 2);
        assertThat(report.failures()).containsExactly(new BatchReport.Failure("#1", "cannot decode item 1"));
        assertThat(new BatchReport(1, List.of()).allSucceeded()).isTrue();
    }
}
