/**
 * Implementation helpers of the estimators, not API: the ND4J workspace scope, the bucketed segment
 * layout and the NaN-aware segment statistics built on it, GiGPO's canonical anchor keys and a
 * {@code difflib}-compatible similarity ratio. May change without notice.
 */
package dev.grpo4j.advantage.internal;
