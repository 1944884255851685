/** Small shared helpers: argument checks with messages that name the offending value. */
package dev.grpo4j.core.util;
