package io.sseline.servlet.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.sseline.servlet.SlowConsumerPolicy;
import org.junit.jupiter.api.Test;

class OutboundQueueTest {
    @Test
    void eventsThatFitAreQueuedAndTheNextOneIsRefusedAndCountedUnderDrop() {
        OutboundQueue queue = new OutboundQueue(10, SlowConsumerPolicy.DROP);
        assertThat(queue.offer(new byte[6])).isTrue();
        assertThat(queue.offer(new byte[4])).isTrue();
        assertThat(queue.bytes()).isEqualTo(10);

        assertThat(queue.offer(new byte[1])).isFalse();
        assertThat(queue.droppedCount()).isEqualTo(1);
        assertThat(queue.bytes()).isEqualTo(10);
    }

    @Test
    void disconnectRefusesWithoutCountingADrop() {
        OutboundQueue queue = new OutboundQueue(10, SlowConsumerPolicy.DISCONNECT);
        queue.offer(new byte[10]);
        assertThat(queue.offer(new byte[1])).isFalse();
        assertThat(queue.droppedCount()).isZero();
        assertThat(queue.overflowPolicy()).isEqualTo(SlowConsumerPolicy.DISCONNECT);
    }

    @Test
    void anEventLargerThanTheBoundPassesThroughAnEmptyQueueOnly() {
        OutboundQueue queue = new OutboundQueue(10, SlowConsumerPolicy.DROP);
        assertThat(queue.offer(new byte[25])).isTrue();
        assertThat(queue.offer(new byte[1])).isFalse();
        assertThat(queue.take()).hasSize(25);
        assertThat(queue.isEmpty()).isTrue();
        assertThat(queue.offer(new byte[1])).isTrue();
    }

    @Test
    void aLastEventOnCloseIsQueuedOnlyIfItFitsAndNeverCountsAsDropped() {
        OutboundQueue queue = new OutboundQueue(10, SlowConsumerPolicy.DROP);
        queue.offer(new byte[8]);
        assertThat(queue.offerIfRoom(new byte[3])).isFalse();
        assertThat(queue.offerIfRoom(new byte[2])).isTrue();
        assertThat(queue.droppedCount()).isZero();
    }

    @Test
    void takeCopiesQueuedEventsIntoOneWriteUpToTheCoalescingLimit() {
        int limit = OutboundQueue.MAX_COALESCED_WRITE;
        OutboundQueue queue = new OutboundQueue(4 * limit, SlowConsumerPolicy.DISCONNECT);
        queue.offer(new byte[] {1, 2});
        queue.offer(new byte[] {3});
        queue.offer(new byte[limit - 3]);
        queue.offer(new byte[1]); // would pass the limit: left for the next write

        byte[] first = queue.take();
        assertThat(first).hasSize(limit);
        assertThat(first).startsWith(1, 2, 3);
        assertThat(queue.bytes()).isEqualTo(1);
        assertThat(queue.take()).hasSize(1);
        assertThat(queue.take()).isNull();
        assertThat(queue.bytes()).isZero();
    }

    @Test
    void aChunkThatCannotBeJoinedWithTheNextIsWrittenAsItIs() {
        OutboundQueue queue = new OutboundQueue(Integer.MAX_VALUE, SlowConsumerPolicy.DISCONNECT);
        byte[] large = new byte[OutboundQueue.MAX_COALESCED_WRITE];
        queue.offer(large);
        queue.offer(new byte[1]);
        assertThat(queue.take()).isSameAs(large);
    }

    @Test
    void clearForgetsEverything() {
        OutboundQueue queue = new OutboundQueue(10, SlowConsumerPolicy.DROP);
        queue.offer(new byte[5]);
        queue.clear();
        assertThat(queue.isEmpty()).isTrue();
        assertThat(queue.bytes()).isZero();
        assertThat(queue.take()).isNull();
    }
}
