package dev.isthmus.control;

import dev.isthmus.control.config.ApplianceConfig;
import io.micronaut.context.ApplicationContext;
import java.util.Map;

/** Lets tests of other packages start the appliance the way {@code ./isthmus run} does, with overrides. */
public final class IsthmusMainAccess {

    private IsthmusMainAccess() {
    }

    public static ApplicationContext start(ApplianceConfig config, String location, Map<String, Object> overrides) {
        return IsthmusMain.start(config, location, overrides);
    }
}
