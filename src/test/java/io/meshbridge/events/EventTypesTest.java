package io.meshbridge.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class EventTypesTest {

    // --- subject filters ---

    @ParameterizedTest
    @ValueSource(strings = {"events.>", "events.tool.*", "events.*.crashed", "events.tool.crashed", "events.user.>",
        "events.node.*", "events.*.*", "events.user.training.complete", ">", "*"})
    void validFiltersAreReturnedUnchanged(String filter) {
        assertThat(EventTypes.requireValidFilter(filter)).isSameAs(filter);
    }

    @Test
    void fullWildcardBeforeTheLastTokenIsRefused() {
        assertThatThrownBy(() -> EventTypes.requireValidFilter("events.>.x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("subject filter 'events.>.x' uses '>' before the last token");
    }

    @ParameterizedTest
    @ValueSource(strings = {"events.to*", "events.*tool", "events.tool.crash>", "events.>>"})
    void wildcardInsideATokenIsRefused(String filter) {
        assertThatThrownBy(() -> EventTypes.requireValidFilter(filter))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("inside a token");
    }

    @ParameterizedTest
    @ValueSource(strings = {"events..x", "events.", ".events", "events.tool..*"})
    void filterWithAnEmptyTokenIsRefused(String filter) {
        assertThatThrownBy(() -> EventTypes.requireValidFilter(filter))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has an empty token");
    }

    @ParameterizedTest
    @NullAndEmptySource
    void emptyFilterIsRefused(String filter) {
        assertThatThrownBy(() -> EventTypes.requireValidFilter(filter))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("subject filter must not be empty");
    }

    @ParameterizedTest
    @ValueSource(strings = {"events.tool crashed", "events.tool\t*", "events.\u0000"})
    void filterWithWhitespaceOrControlCharactersIsRefused(String filter) {
        assertThatThrownBy(() -> EventTypes.requireValidFilter(filter))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("contains whitespace or a control character");
    }

    @Test
    void filterLongerThanPrefixPlusLongestTypeIsRefused() {
        String longest = "events." + "x".repeat(EventTypes.MAX_TYPE_LENGTH);

        assertThat(EventTypes.requireValidFilter(longest)).isEqualTo(longest);
        assertThatThrownBy(() -> EventTypes.requireValidFilter(longest + "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("subject filter is longer than 207 characters");
    }

    // --- types ---

    @Test
    void typeProblemIsNullForAValidType() {
        assertThat(EventTypes.typeProblem("tool.crashed")).isNull();
        assertThat(EventTypes.isValidType("user.training.complete")).isTrue();
        assertThat(EventTypes.requireValidType("node.joined")).isEqualTo("node.joined");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "tool..x", "tool.*", "events.>", "a b"})
    void invalidTypesAreReportedByAllThreeChecks(String type) {
        assertThat(EventTypes.isValidType(type)).isFalse();
        assertThat(EventTypes.typeProblem(type)).isNotBlank();
        assertThatThrownBy(() -> EventTypes.requireValidType(type))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(EventTypes.typeProblem(type));
    }

    @Test
    void aSingleTokenIsAValidType() {
        assertThat(EventTypes.isValidType("events")).isTrue();
    }

    // --- user input ---

    @ParameterizedTest
    @CsvSource({
        "tool.started, tool.started",
        "events.tool.started, tool.started",
        "user.training.complete, user.training.complete",
        "events.user.training.complete, user.training.complete",
        "events.events.x, events.x",
        "events, events",
    })
    void typeFromUserInputAcceptsTheTypeWithOrWithoutThePrefix(String input, String type) {
        assertThat(EventTypes.typeFromUserInput(input)).isEqualTo(type);
    }

    @ParameterizedTest
    @ValueSource(strings = {"events.", "events.*", "events.tool.>", "", "tool..started", "events..x"})
    void typeFromUserInputRefusesInvalidTypes(String input) {
        assertThatThrownBy(() -> EventTypes.typeFromUserInput(input)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void typeFromUserInputRefusesNull() {
        assertThatThrownBy(() -> EventTypes.typeFromUserInput(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("event type must not be null");
    }

    // --- subjects ---

    @ParameterizedTest
    @CsvSource({
        "events.tool.crashed, tool.crashed",
        "events.node.joined, node.joined",
        "events.user.training.complete, user.training.complete",
        "events.x, x",
    })
    void typeOfSubjectStripsThePrefix(String subject, String type) {
        assertThat(EventTypes.typeOfSubject(subject)).isEqualTo(type);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"events", "events.", "tool.crashed", "other.tool.crashed", "events.tool.*", "events.>",
        "events..x", "Events.tool.crashed"})
    void typeOfSubjectIsNullWhenTheSubjectNamesNoType(String subject) {
        assertThat(EventTypes.typeOfSubject(subject)).isNull();
    }

    @Test
    void subjectOfATypeGivesItsTypeBack() {
        Event e = Event.user("n", "training.complete", null);

        assertThat(EventTypes.typeOfSubject(e.subject())).isEqualTo(e.type());
    }
}
