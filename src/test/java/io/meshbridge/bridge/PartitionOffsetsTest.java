package io.meshbridge.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PartitionOffsetsTest {

    @Test
    void theCommitOffsetNeverPassesARecordThatHasNotCompleted() {
        PartitionOffsets p = new PartitionOffsets();
        PartitionOffsets.Entry a = p.handOut(10);
        PartitionOffsets.Entry b = p.handOut(11);
        PartitionOffsets.Entry c = p.handOut(13); // a gap (a transaction marker) is fine
        assertThat(p.completed(b)).isFalse();
        assertThat(p.completed(c)).isFalse();
        assertThat(p.toCommit(false)).isEqualTo(-1);
        assertThat(p.outstanding()).isEqualTo(3);
        assertThat(p.completed(a)).isTrue();
        assertThat(p.toCommit(false)).isEqualTo(14);
        assertThat(p.outstanding()).isZero();
    }

    @Test
    void aFailureDropsTheRecordAndEverythingAfterIt() {
        PartitionOffsets p = new PartitionOffsets();
        PartitionOffsets.Entry a = p.handOut(0);
        PartitionOffsets.Entry b = p.handOut(1);
        PartitionOffsets.Entry c = p.handOut(2);
        assertThat(p.failed(b)).isEqualTo(1);
        assertThat(p.outstanding()).isEqualTo(1);
        assertThat(p.failed(c)).isEqualTo(-1); // dropped with b: no second rewind
        assertThat(p.completed(c)).isFalse();
        p.completed(a);
        assertThat(p.toCommit(false)).isEqualTo(1);
        PartitionOffsets.Entry again = p.handOut(1);
        p.completed(again);
        assertThat(p.toCommit(false)).isEqualTo(2);
    }

    @Test
    void aFailedAsynchronousCommitIsRequestedAgainAndASyncCommitCoversWhatIsUnconfirmed() {
        PartitionOffsets p = new PartitionOffsets();
        p.completed(p.handOut(0));
        assertThat(p.toCommit(false)).isEqualTo(1);
        p.requested(1);
        assertThat(p.toCommit(false)).isEqualTo(-1);
        assertThat(p.toCommit(true)).isEqualTo(1);
        p.commitEnded(1, false);
        assertThat(p.toCommit(false)).isEqualTo(1);
        p.requested(1);
        p.commitEnded(1, true);
        assertThat(p.toCommit(true)).isEqualTo(-1);
    }

    @Test
    void clearDropsEverything() {
        PartitionOffsets p = new PartitionOffsets();
        PartitionOffsets.Entry a = p.handOut(5);
        p.clear();
        assertThat(p.outstanding()).isZero();
        assertThat(p.completed(a)).isFalse();
        assertThat(p.toCommit(true)).isEqualTo(-1);
    }
}
