package io.sseline.core;

/**
 * A value that applications send as events, for the tests of codecs and of the examples that use
 * one; its codec is tab-separated, to need no library.
 */
record ChatMessage(String author, String text) {
    static final EventCodec<ChatMessage> CODEC =
            EventCodec.of(ChatMessage.class, m -> m.author() + "\t" + m.text(), data -> {
                int tab = data.indexOf('\t');
                if (tab < 0) {
                    throw new IllegalArgumentException("no tab between author and text");
                }
                return new ChatMessage(data.substring(0, tab), data.substring(tab + 1));
            });
}
