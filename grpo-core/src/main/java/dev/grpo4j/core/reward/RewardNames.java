package dev.grpo4j.core.reward;

/** Naming rules shared by {@link RewardFunction} and {@link ItemRewardFunction}. */
final class RewardNames {

    private RewardNames() {}

    /**
     * The default name of a function class: its simple name, or {@link RewardFunction#UNNAMED} for
     * lambdas and anonymous classes, whose generated names mean nothing to a reader.
     */
    static String defaultName(Class<?> type) {
        String simple = type.getSimpleName();
        if (type.isHidden() || type.isSynthetic() || type.isAnonymousClass() || simple.isEmpty()) {
            return RewardFunction.UNNAMED;
        }
        return simple;
    }

    /** Returns the name if it is usable, else fails naming it. */
    static String check(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException(
                    "a reward function name must not be blank but was '" + name + "'");
        }
        return name;
    }
}
