package io.tgstream.model.nat;

/**
 * One neighbour that both ends of a scored pair know, as {@link PairScorer#explain} lists it.
 *
 * @param key     the neighbour's 64-bit node key
 * @param code    its joint hop code ({@link HopCodes})
 * @param uHop    the nearest hop (0, 1, 2) at which u knows it
 * @param vHop    the nearest hop at which v knows it
 * @param weight  its attention weight, averaged over heads (the weights of a pair's entries sum to 1)
 */
public record CommonNeighbour(long key, int code, int uHop, int vHop, double weight) {
}
