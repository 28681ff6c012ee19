package io.tgstream.data;

import java.nio.charset.StandardCharsets;

/**
 * The one hash that turns an external node id into the 64-bit node key used everywhere (offline and in the stream).
 *
 * <p>key(id) = fmix64(FNV-1a-64(UTF-8 bytes of id)), where id is the node's id as text: a numeric id is written in
 * plain decimal ({@code Long.toString}), so the id {@code 42} and the string {@code "42"} are the same node.
 * FNV-1a gives a fixed, dependency-free definition that any client can reimplement; MurmurHash3's 64-bit finaliser
 * (fmix64) spreads FNV's weak low bits so that keys can be taken modulo small table sizes and key groups.
 * Changing this function changes every key in every state and model file: never do it without a format version.
 */
public final class NodeKeys {
    private static final long FNV_OFFSET_BASIS = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private NodeKeys() {}

    /** The node key of a textual id. */
    public static long of(String id) {
        long h = FNV_OFFSET_BASIS;
        byte[] bytes = id.getBytes(StandardCharsets.UTF_8);
        for (byte b : bytes) {
            h ^= (b & 0xff);
            h *= FNV_PRIME;
        }
        return fmix64(h);
    }

    /** The node key of a numeric id: the same as {@code of(Long.toString(id))}. */
    public static long of(long id) {
        return of(Long.toString(id));
    }

    /** MurmurHash3's 64-bit finaliser: a bijection that mixes every input bit into every output bit. */
    public static long fmix64(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }
}
