package io.meshbridge.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A benchmark's child JVM (the worker jar or the raw program), started with the JVM's default options and the
 * same {@code java} as the benchmark, in its own directory, its output going to a log file there. It gets no
 * {@code NATS_*} or {@code MESH_*} variables from the benchmark's environment, only those given.
 */
final class ChildJvm implements AutoCloseable {

    private static final long CLOCK_TICKS = 100; // USER_HZ on Linux

    private final String name;
    private final Process process;
    private final Path log;

    private ChildJvm(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * {@code java [jvmArgs] -jar jar run} in {@code dir}: the worker with its defaults, {@code env} on top;
     * {@code jvmArgs} is empty for measurements (a profiling run may add a flight recording).
     */
    static ChildJvm worker(Path jar, Path dir, Map<String, String> env, List<String> jvmArgs) throws IOException {
        List<String> args = new ArrayList<>(jvmArgs);
        args.addAll(List.of("-jar", jar.toString(), "run"));
        return start("worker", dir, env, args);
    }

    /** {@code java -cp classpath mainClass args} in {@code dir}. */
    static ChildJvm main(String name, String classpath, Class<?> mainClass, Path dir, List<String> args)
            throws IOException {
        return main(name, List.of(), classpath, mainClass, dir, args);
    }

    /** {@code java [jvmArgs] -cp classpath mainClass args} in {@code dir} (a profiling run may add jvmArgs). */
    static ChildJvm main(String name, List<String> jvmArgs, String classpath, Class<?> mainClass, Path dir,
                         List<String> args) throws IOException {
        List<String> command = new ArrayList<>(jvmArgs);
        command.addAll(List.of("-cp", classpath, mainClass.getName()));
        command.addAll(args);
        return start(name, dir, Map.of(), command);
    }

    private static ChildJvm start(String name, Path dir, Map<String, String> env, List<String> javaArgs)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(javaBinary("java"));
        command.addAll(javaArgs);
        Path log = dir.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("NATS_") || k.startsWith("MESH_"));
        builder.environment().putAll(env);
        return new ChildJvm(name, builder.start(), log);
    }

    private static String javaBinary(String tool) {
        return Path.of(System.getProperty("java.home"), "bin", tool).toString();
    }

    /** The class path of this JVM's benchmark classes and their libraries, for a raw child. */
    static String benchClasspath(Path jar) {
        Path classes = Path.of(RawDrain.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        return classes + File.pathSeparator + jar; // the worker jar carries jnats and zstd-jni
    }

    String name() {
        return name;
    }

    boolean alive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /**
     * The CPU time the child has used so far (user and system, from {@code /proc/<pid>/stat}, in clock ticks of
     * 10 ms), or -1 when it cannot be read.
     */
    long cpuMillis() {
        return cpuMillis(process.pid());
    }

    /** The CPU time process {@code pid} has used so far, as {@link #cpuMillis()}; -1 when it cannot be read. */
    static long cpuMillis(long pid) {
        return pid < 0 ? -1 : statCpuMillis(Path.of("/proc", Long.toString(pid), "stat"));
    }

    /** User and system time from a {@code /proc} stat file, in milliseconds; -1 when it cannot be read. */
    private static long statCpuMillis(Path statFile) {
        try {
            return statCpuMillis(Files.readString(statFile));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** User and system time of the text of a {@code /proc} stat file, in milliseconds. */
    private static long statCpuMillis(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 1000 / CLOCK_TICKS;
    }

    /**
     * CPU milliseconds used so far by the child's JIT compiler threads ({@code C1/C2 CompilerThread}, by their
     * {@code /proc} task name); -1 when it cannot be read.
     */
    long compilerCpuMillis() {
        Map<Long, String> stats = taskStats();
        if (stats == null) {
            return -1;
        }
        long sum = 0;
        for (String stat : stats.values()) {
            if (stat.substring(0, stat.lastIndexOf(')')).contains("CompilerThre")) { // "(C2 CompilerThre)"
                sum += statCpuMillis(stat);
            }
        }
        return sum;
    }

    /**
     * CPU milliseconds used so far by each of the child's threads, by thread id ({@code /proc/<pid>/task}); empty
     * when it cannot be read. Threads that ended are not counted.
     */
    Map<Long, Long> threadCpuMillis() {
        Map<Long, String> stats = taskStats();
        Map<Long, Long> byTid = new HashMap<>();
        if (stats != null) {
            stats.forEach((tid, stat) -> byTid.put(tid, statCpuMillis(stat)));
        }
        return byTid;
    }

    /** The {@code /proc} stat text of each of the child's live threads, by thread id; null when unreadable. */
    private Map<Long, String> taskStats() {
        Map<Long, String> byTid = new HashMap<>();
        try (var tasks = Files.list(Path.of("/proc", Long.toString(process.pid()), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    byTid.put(Long.parseLong(task.getFileName().toString()), Files.readString(task.resolve("stat")));
                } catch (IOException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return byTid;
    }

    /**
     * The names of the child's live threads by thread id, from a thread dump ({@code nid=0x..}), pool numbers
     * stripped so that a pool's threads share one name; empty when the dump fails.
     */
    Map<Long, String> threadNames() throws IOException, InterruptedException {
        Path dump = Files.createTempFile("threads", ".txt");
        try {
            threadDump(dump);
            Map<Long, String> names = new HashMap<>();
            Pattern line = Pattern.compile("^\"(.*)\" .*nid=0x([0-9a-f]+)");
            for (String l : Files.readAllLines(dump, StandardCharsets.UTF_8)) {
                Matcher m = line.matcher(l);
                if (m.find()) {
                    names.put(Long.parseLong(m.group(2), 16), m.group(1).replaceAll("\\d+", "N"));
                }
            }
            return names;
        } finally {
            Files.deleteIfExists(dump);
        }
    }

    /** SIGTERM, then waits for the exit; returns the exit code. */
    int terminate(long timeoutSeconds) throws InterruptedException {
        process.destroy();
        return awaitExit(timeoutSeconds);
    }

    /** Waits for the exit; kills the process and fails after {@code timeoutSeconds}. */
    int awaitExit(long timeoutSeconds) throws InterruptedException {
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            throw new IllegalStateException(name + " did not exit within " + timeoutSeconds + " s; log:\n" + tail(30));
        }
        return process.exitValue();
    }

    /** Writes a thread dump of the child ({@code jcmd PID Thread.print}) to {@code file}. */
    void threadDump(Path file) throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder(javaBinary("jcmd"), Long.toString(process.pid()), "Thread.print")
                .redirectErrorStream(true).redirectOutput(file.toFile()).start();
        jcmd.waitFor(30, TimeUnit.SECONDS);
    }

    /** The last {@code lines} lines of the child's output. */
    String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
