package io.meshbridge.archive;

import static io.meshbridge.archive.ArchiveTesting.T0;
import static io.meshbridge.archive.ArchiveTesting.config;
import static io.meshbridge.archive.ArchiveTesting.files;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PathLayoutTest {

    private static final String LONG = "x".repeat(300);

    @TempDir
    Path root;

    @Test
    void partitionsByUtcStreamTimeAndType() {
        PathLayout layout = new PathLayout(root, "{yyyy}/{MM}/{dd}/{HH}/{mm}/{type}");
        assertThat(layout.directoryFor(Instant.parse("2026-01-02T03:04:59.999Z"), "events.tool.crashed"))
                .isEqualTo(root.resolve("2026/01/02/03/04/tool.crashed"));
        assertThat(new PathLayout(root, "by-type/{type}/d{yyyy}{MM}{dd}").directoryFor(T0, "events.user.x"))
                .isEqualTo(root.resolve("by-type/user.x/d20261129"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../../etc", "a/b", "..", ".", "...", "/etc/passwd", "a\\..\\..\\b", "%2e%2e",
            "a\u0000b", "line\nbreak", "tab\there", "", " ", "日本語", "..hidden", "a/../../b"})
    void sanitisesHostileNamesToOneSafeSegment(String hostile) {
        String safe = PathLayout.sanitize(hostile);
        assertThat(safe).matches("[A-Za-z0-9._-]{1,100}").doesNotContain("..").doesNotStartWith(".");
        assertThat(root.resolve(safe).normalize().getParent()).isEqualTo(root);
    }

    @Test
    void aRememberedDirectoryHoldsOnlyForItsOwnTimeSlot() {
        PathLayout hourly = new PathLayout(root, "{yyyy}/{MM}/{dd}/{HH}/{type}");
        for (String time : new String[] {"2026-01-02T03:59:59Z", "2026-01-02T03:00:00Z", "2026-01-02T04:00:00Z",
                "2026-01-02T03:30:00Z", "2026-01-03T03:30:00Z", "1969-12-31T23:59:59Z", "1970-01-01T00:00:00Z"}) {
            Instant t = Instant.parse(time);
            String hour = time.substring(0, 13).replace('-', '/').replace('T', '/');
            assertThat(hourly.directoryFor(t, "events.tool.crashed")).as(time)
                    .isEqualTo(root.resolve(hour + "/tool.crashed"));
            assertThat(hourly.directoryFor(t, "events.tool.installed")).as(time)
                    .isEqualTo(root.resolve(hour + "/tool.installed"));
        }
        PathLayout minutes = new PathLayout(root, "{HH}{mm}/{type}");
        assertThat(minutes.directoryFor(Instant.parse("2026-01-02T03:04:59Z"), "events.a")).isEqualTo(root.resolve("0304/a"));
        assertThat(minutes.directoryFor(Instant.parse("2026-01-02T03:05:00Z"), "events.a")).isEqualTo(root.resolve("0305/a"));
    }

    @Test
    void keepsValidTypesAndBoundsLongOnesWithAHash() {
        assertThat(PathLayout.sanitize("tool.crashed")).isEqualTo("tool.crashed");
        assertThat(PathLayout.sanitize("user.my-topic_2")).isEqualTo("user.my-topic_2");
        String cut = PathLayout.sanitize(LONG);
        assertThat(cut).hasSize(100).matches("x{91}-[0-9a-f]{8}");
        assertThat(PathLayout.sanitize(LONG + "y")).hasSize(100).isNotEqualTo(cut);
        assertThat(PathLayout.sanitize("a/b")).isNotEqualTo(PathLayout.sanitize("a_b")).startsWith("a_b-");
    }

    @ParameterizedTest
    @ValueSource(strings = {"events.user....", "events.user.%2e%2e", "events...", "events.../../../etc",
            "events./etc/passwd", "events.a/../../../b", "../../outside", "events..", "events.\u0000"})
    void noSubjectWritesOutsideTheDirectory(String subject) throws Exception {
        Path archive = root.resolve("archive");
        try (ArchiveWriter writer = ArchiveWriter.open(config(archive).build())) {
            writer.append(List.of(new ArchiveRecord("events", ArchiveTesting.CREATED, 1, subject, T0, "id",
                    ArchiveTesting.payload("user.x", 1))));
        }
        List<Path> all = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(Files::isRegularFile).forEach(all::add);
        }
        assertThat(all).hasSize(3).allSatisfy(p -> assertThat(p.normalize()).startsWith(archive))
                .contains(archive.resolve(".w1.lock"));
        assertThat(files(archive, ".jsonl.gz")).singleElement()
                .satisfies(p -> assertThat(archive.relativize(p).getNameCount()).isEqualTo(6));
    }

    @Test
    void refusesUnsafeTemplates() {
        for (String template : new String[] {"", "/abs/{type}", "{yyyy}/../{type}", "{yyyy}//{type}", "{nope}",
                "{yyyy}/./x", "a b/{type}", "{type}/.."}) {
            assertThatThrownBy(() -> PathLayout.validate(template)).as(template)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(PathLayout.validate(ArchiveConfig.DEFAULT_LAYOUT)).isEqualTo(ArchiveConfig.DEFAULT_LAYOUT);
    }
}
