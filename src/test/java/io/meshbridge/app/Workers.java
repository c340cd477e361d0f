package io.meshbridge.app;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The worker processes of a test: printed to stdout when the test fails, killed after it (or after the
 * class, for processes started in {@code @BeforeAll}). Public for the tests of the command line against a worker.
 */
public final class Workers implements AfterEachCallback, AfterAllCallback {

    private final List<WorkerProcess> processes = new ArrayList<>();

    /** Starts a worker and waits until it has started; see {@link WorkerProcess#startWorker}. */
    public WorkerProcess startWorker(String name, Path workDir, String... extraArgs) throws IOException {
        WorkerProcess w;
        try {
            w = WorkerProcess.startWorker(name, workDir, extraArgs);
        } catch (RuntimeException | Error e) {
            System.out.println("worker " + name + " did not start; its log:\n" + readLog(workDir, name));
            throw e;
        }
        track(w);
        return w;
    }

    /** Tracks a process started otherwise. */
    synchronized WorkerProcess track(WorkerProcess w) {
        processes.add(w);
        return w;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        if (context.getExecutionException().isPresent()) {
            report();
        }
        if (!context.getRequiredTestClass().isAnnotationPresent(SharedWorkers.class)) {
            closeAll();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (context.getExecutionException().isPresent()) {
            report();
        }
        closeAll();
    }

    synchronized void report() {
        for (WorkerProcess w : processes) {
            System.out.println(w.report());
        }
    }

    private synchronized void closeAll() throws InterruptedException {
        for (WorkerProcess w : processes) {
            w.close();
        }
        processes.clear();
    }

    private static String readLog(Path workDir, String name) {
        try {
            return java.nio.file.Files.readString(workDir.resolve(name + ".log"));
        } catch (IOException e) {
            return "(none)";
        }
    }

    /** Marks a class whose workers live for the whole class (started in {@code @BeforeAll}). */
    @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
    @java.lang.annotation.Target(java.lang.annotation.ElementType.TYPE)
    @interface SharedWorkers {
    }
}
