/**
 * The synthetic recommendation task of {@code RankGrpoExample}: a {@link
 * dev.grpo4j.examples.rank.Catalog} of item tokens in hidden clusters, users with latent
 * preferences ({@link dev.grpo4j.examples.rank.UserModel}), ranked lists read from completions
 * ({@link dev.grpo4j.examples.rank.RankedList}), the hit vector, NDCG@K and Recall@K ({@link
 * dev.grpo4j.examples.rank.RankingMetrics}) as reward functions ({@link
 * dev.grpo4j.examples.rank.ListRewards}), and the greedy evaluation on fixed users ({@link
 * dev.grpo4j.examples.rank.HeldOutEvaluation}).
 */
package dev.grpo4j.examples.rank;
