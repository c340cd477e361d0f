package io.meshbridge.archive.camel;

import static io.meshbridge.archive.ArchiveTesting.T0;
import static io.meshbridge.archive.ArchiveTesting.config;
import static io.meshbridge.archive.ArchiveTesting.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshbridge.archive.ArchiveRecord;
import io.meshbridge.archive.ArchiveWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The group commit's queue bound and what a failing commit thread does to the exchanges, on a real writer. */
class GroupCommitTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private CamelContext camel;
    private ArchiveWriter writer;

    @BeforeEach
    void open() throws Exception {
        camel = new DefaultCamelContext();
        writer = ArchiveWriter.open(config(dir).build());
    }

    @AfterEach
    void close() throws Exception {
        writer.close();
        camel.close();
    }

    @Test
    void aFullQueueBlocksTheSubmitterUntilTheCommitThreadTakesMore() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        UnaryOperator<List<ArchiveRecord>> slow = batch -> {
            entered.countDown();
            waitFor(release);
            return batch;
        };
        GroupCommit commit = new GroupCommit(writer, 2, slow, "bounded", exchange -> { }, () -> false);
        commit.start();
        List<Submitted> all = new ArrayList<>();
        all.add(submit(commit, 1));
        waitFor(entered);
        int capacity = GroupCommit.queueCapacity(2);
        assertThat(capacity).isEqualTo(4);
        for (int seq = 2; seq <= 1 + capacity; seq++) {
            all.add(submit(commit, seq));
        }
        AtomicBoolean returned = new AtomicBoolean();
        Submitted[] last = new Submitted[1];
        Thread submitter = new Thread(() -> {
            last[0] = submit(commit, 2 + capacity);
            returned.set(true);
        });
        submitter.start();
        await().atMost(WAIT).until(() -> submitter.getState() == Thread.State.TIMED_WAITING
                || submitter.getState() == Thread.State.WAITING || !submitter.isAlive());
        assertThat(returned).as("the submit beyond the queue's capacity waits").isFalse();

        release.countDown();
        submitter.join(WAIT.toMillis());
        all.add(last[0]);
        await().atMost(WAIT).until(() -> all.stream().allMatch(s -> s.done.get() == 1));
        commit.stop(WAIT);
        assertThat(all).allSatisfy(s -> assertThat(s.exchange.getException()).isNull());
        assertThat(commit.written()).isEqualTo(2 + capacity);
    }

    @Test
    void aSubmitterWaitingForRoomGivesUpWhenTheContextStops() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean contextStopping = new AtomicBoolean();
        GroupCommit commit = new GroupCommit(writer, 1, batch -> {
            entered.countDown();
            waitFor(release);
            return batch;
        }, "gives-up", exchange -> { }, contextStopping::get);
        commit.start();
        Submitted writing = submit(commit, 1);
        waitFor(entered);
        List<Submitted> queued = List.of(submit(commit, 2), submit(commit, 3));
        Submitted[] waiting = new Submitted[1];
        Thread submitter = new Thread(() -> waiting[0] = submit(commit, 4));
        submitter.start();
        await().atMost(WAIT).until(() -> submitter.getState() == Thread.State.TIMED_WAITING || !submitter.isAlive());

        contextStopping.set(true);
        submitter.join(WAIT.toMillis());
        assertThat(submitter.isAlive()).isFalse();
        assertThat(waiting[0].done).hasValue(1);
        assertThat(waiting[0].exchange.getException()).isInstanceOf(IOException.class)
                .hasMessageContaining("stopping");
        release.countDown();
        commit.stop(WAIT);
        assertThat(writing.done).hasValue(1);
        assertThat(queued).allSatisfy(q -> assertThat(q.done).hasValue(1));
        assertThat(commit.written()).isEqualTo(3);
    }

    @Test
    void aCommitThreadThatDiesHoldsItsExchangesUntilStopAndFailsThemThen() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        UnaryOperator<List<ArchiveRecord>> breaksOnTheSecondBatch = batch -> {
            if (calls.incrementAndGet() == 2) {
                throw new IllegalStateException("broken writer");
            }
            return batch;
        };
        List<Exchange> told = new java.util.concurrent.CopyOnWriteArrayList<>();
        GroupCommit commit = new GroupCommit(writer, 1, breaksOnTheSecondBatch, "dies", told::add, () -> false);
        commit.start();
        Submitted first = submit(commit, 1);
        await().atMost(WAIT).until(() -> first.done.get() == 1);
        Submitted second = submit(commit, 2);
        await().atMost(WAIT).until(() -> commitThread("dies") == null || second.done.get() > 0);
        Submitted third = submit(commit, 3);

        assertThat(second.done).as("held, neither completed nor failed").hasValue(0);
        assertThat(third.done).as("submitted after the failure: held too").hasValue(0);
        assertThat(commit.failure()).get().isInstanceOf(IllegalStateException.class);
        assertThat(told).containsExactly(second.exchange, third.exchange);

        commit.stop(WAIT);
        assertThat(first.done).hasValue(1);
        assertThat(first.exchange.getException()).isNull();
        for (Submitted held : List.of(second, third)) {
            assertThat(held.done).as("failed once at stop").hasValue(1);
            assertThat(held.exchange.getException()).isInstanceOf(IOException.class);
        }
        assertThat(commit.written()).isEqualTo(1);
    }

    private record Submitted(Exchange exchange, AtomicInteger done) {
    }

    private Submitted submit(GroupCommit commit, long seq) {
        Exchange exchange = new DefaultExchange(camel);
        AtomicInteger done = new AtomicInteger();
        commit.submit(record(seq, "events.a", T0.plusMillis(seq)), exchange, doneSync -> done.incrementAndGet());
        return new Submitted(exchange, done);
    }

    private static Thread commitThread(String name) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("ArchiveCommit[" + name + "]") && t.isAlive())
                .findFirst().orElse(null);
    }

    private static void waitFor(CountDownLatch latch) {
        try {
            if (!latch.await(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                throw new AssertionError("latch not released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
