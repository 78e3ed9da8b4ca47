package dev.isthmus.dataplane.ring;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/*
 * The four indices of MbufRing, each on its own pair of cache lines (128 bytes, against adjacent-line prefetch),
 * laid out by inheritance: the JVM places a superclass's fields before its subclass's, and padding fields between
 * them keep producers' and consumers' writes from sharing a line. Same technique as JCTools' *Pad classes.
 */

abstract class MbufRingPad0 {
    byte p000, p001, p002, p003, p004, p005, p006, p007, p008, p009, p010, p011, p012, p013, p014, p015;
    byte p016, p017, p018, p019, p020, p021, p022, p023, p024, p025, p026, p027, p028, p029, p030, p031;
    byte p032, p033, p034, p035, p036, p037, p038, p039, p040, p041, p042, p043, p044, p045, p046, p047;
    byte p048, p049, p050, p051, p052, p053, p054, p055, p056, p057, p058, p059, p060, p061, p062, p063;
    byte p064, p065, p066, p067, p068, p069, p070, p071, p072, p073, p074, p075, p076, p077, p078, p079;
    byte p080, p081, p082, p083, p084, p085, p086, p087, p088, p089, p090, p091, p092, p093, p094, p095;
    byte p096, p097, p098, p099, p100, p101, p102, p103, p104, p105, p106, p107, p108, p109, p110, p111;
    byte p112, p113, p114, p115, p116, p117, p118, p119, p120, p121, p122, p123, p124, p125, p126, p127;
}

abstract class MbufRingProducerHead extends MbufRingPad0 {
    protected static final VarHandle PRODUCER_HEAD;

    static {
        try {
            PRODUCER_HEAD = MethodHandles.lookup().findVarHandle(MbufRingProducerHead.class, "producerHead", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Next slot a producer will reserve; producers only. */
    private volatile long producerHead;

    final long lpProducerHead() {
        return (long) PRODUCER_HEAD.get(this);
    }

    final long lvProducerHead() {
        return producerHead;
    }

    final void spProducerHead(long value) {
        PRODUCER_HEAD.set(this, value);
    }

    final boolean casProducerHead(long expected, long value) {
        return PRODUCER_HEAD.compareAndSet(this, expected, value);
    }
}

abstract class MbufRingPad1 extends MbufRingProducerHead {
    byte p000, p001, p002, p003, p004, p005, p006, p007, p008, p009, p010, p011, p012, p013, p014, p015;
    byte p016, p017, p018, p019, p020, p021, p022, p023, p024, p025, p026, p027, p028, p029, p030, p031;
    byte p032, p033, p034, p035, p036, p037, p038, p039, p040, p041, p042, p043, p044, p045, p046, p047;
    byte p048, p049, p050, p051, p052, p053, p054, p055, p056, p057, p058, p059, p060, p061, p062, p063;
    byte p064, p065, p066, p067, p068, p069, p070, p071, p072, p073, p074, p075, p076, p077, p078, p079;
    byte p080, p081, p082, p083, p084, p085, p086, p087, p088, p089, p090, p091, p092, p093, p094, p095;
    byte p096, p097, p098, p099, p100, p101, p102, p103, p104, p105, p106, p107, p108, p109, p110, p111;
    byte p112, p113, p114, p115, p116, p117, p118, p119, p120, p121, p122, p123, p124, p125, p126, p127;
}

abstract class MbufRingProducerTail extends MbufRingPad1 {
    protected static final VarHandle PRODUCER_TAIL;

    static {
        try {
            PRODUCER_TAIL = MethodHandles.lookup().findVarHandle(MbufRingProducerTail.class, "producerTail", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Slots below this are filled and visible to consumers. */
    private volatile long producerTail;

    final long laProducerTail() {
        return (long) PRODUCER_TAIL.getAcquire(this);
    }

    final void soProducerTail(long value) {
        PRODUCER_TAIL.setRelease(this, value);
    }
}

abstract class MbufRingPad2 extends MbufRingProducerTail {
    byte p000, p001, p002, p003, p004, p005, p006, p007, p008, p009, p010, p011, p012, p013, p014, p015;
    byte p016, p017, p018, p019, p020, p021, p022, p023, p024, p025, p026, p027, p028, p029, p030, p031;
    byte p032, p033, p034, p035, p036, p037, p038, p039, p040, p041, p042, p043, p044, p045, p046, p047;
    byte p048, p049, p050, p051, p052, p053, p054, p055, p056, p057, p058, p059, p060, p061, p062, p063;
    byte p064, p065, p066, p067, p068, p069, p070, p071, p072, p073, p074, p075, p076, p077, p078, p079;
    byte p080, p081, p082, p083, p084, p085, p086, p087, p088, p089, p090, p091, p092, p093, p094, p095;
    byte p096, p097, p098, p099, p100, p101, p102, p103, p104, p105, p106, p107, p108, p109, p110, p111;
    byte p112, p113, p114, p115, p116, p117, p118, p119, p120, p121, p122, p123, p124, p125, p126, p127;
}

abstract class MbufRingConsumerHead extends MbufRingPad2 {
    protected static final VarHandle CONSUMER_HEAD;

    static {
        try {
            CONSUMER_HEAD = MethodHandles.lookup().findVarHandle(MbufRingConsumerHead.class, "consumerHead", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Next slot a consumer will reserve; consumers only. */
    private volatile long consumerHead;

    final long lpConsumerHead() {
        return (long) CONSUMER_HEAD.get(this);
    }

    final long lvConsumerHead() {
        return consumerHead;
    }

    final void spConsumerHead(long value) {
        CONSUMER_HEAD.set(this, value);
    }

    final boolean casConsumerHead(long expected, long value) {
        return CONSUMER_HEAD.compareAndSet(this, expected, value);
    }
}

abstract class MbufRingPad3 extends MbufRingConsumerHead {
    byte p000, p001, p002, p003, p004, p005, p006, p007, p008, p009, p010, p011, p012, p013, p014, p015;
    byte p016, p017, p018, p019, p020, p021, p022, p023, p024, p025, p026, p027, p028, p029, p030, p031;
    byte p032, p033, p034, p035, p036, p037, p038, p039, p040, p041, p042, p043, p044, p045, p046, p047;
    byte p048, p049, p050, p051, p052, p053, p054, p055, p056, p057, p058, p059, p060, p061, p062, p063;
    byte p064, p065, p066, p067, p068, p069, p070, p071, p072, p073, p074, p075, p076, p077, p078, p079;
    byte p080, p081, p082, p083, p084, p085, p086, p087, p088, p089, p090, p091, p092, p093, p094, p095;
    byte p096, p097, p098, p099, p100, p101, p102, p103, p104, p105, p106, p107, p108, p109, p110, p111;
    byte p112, p113, p114, p115, p116, p117, p118, p119, p120, p121, p122, p123, p124, p125, p126, p127;
}

abstract class MbufRingConsumerTail extends MbufRingPad3 {
    protected static final VarHandle CONSUMER_TAIL;

    static {
        try {
            CONSUMER_TAIL = MethodHandles.lookup().findVarHandle(MbufRingConsumerTail.class, "consumerTail", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Slots below this have been read and may be overwritten by producers. */
    private volatile long consumerTail;

    final long laConsumerTail() {
        return (long) CONSUMER_TAIL.getAcquire(this);
    }

    final void soConsumerTail(long value) {
        CONSUMER_TAIL.setRelease(this, value);
    }
}

abstract class MbufRingPad4 extends MbufRingConsumerTail {
    byte p000, p001, p002, p003, p004, p005, p006, p007, p008, p009, p010, p011, p012, p013, p014, p015;
    byte p016, p017, p018, p019, p020, p021, p022, p023, p024, p025, p026, p027, p028, p029, p030, p031;
    byte p032, p033, p034, p035, p036, p037, p038, p039, p040, p041, p042, p043, p044, p045, p046, p047;
    byte p048, p049, p050, p051, p052, p053, p054, p055, p056, p057, p058, p059, p060, p061, p062, p063;
    byte p064, p065, p066, p067, p068, p069, p070, p071, p072, p073, p074, p075, p076, p077, p078, p079;
    byte p080, p081, p082, p083, p084, p085, p086, p087, p088, p089, p090, p091, p092, p093, p094, p095;
    byte p096, p097, p098, p099, p100, p101, p102, p103, p104, p105, p106, p107, p108, p109, p110, p111;
    byte p112, p113, p114, p115, p116, p117, p118, p119, p120, p121, p122, p123, p124, p125, p126, p127;
}
