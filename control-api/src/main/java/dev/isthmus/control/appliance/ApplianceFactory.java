package dev.isthmus.control.appliance;

import dev.isthmus.control.config.ApplianceConfig;
import dev.isthmus.control.config.ConfigException;
import dev.isthmus.control.config.ConfigLoader;
import dev.isthmus.control.dns.ZonePublisher;
import dev.isthmus.control.dns.ZoneService;
import dev.isthmus.control.journal.Journal;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * Builds the beans the appliance is made of from its configuration file, named by the property
 * {@code isthmus.config} ({@code IsthmusMain} sets it from {@code --config}; the default is the embedded
 * {@code config/isthmus.yml}).
 */
@Factory
public class ApplianceFactory {

    /** The property naming the configuration file. */
    public static final String CONFIG_PROPERTY = "isthmus.config";

    @Singleton
    ApplianceConfig applianceConfig(@Value("${" + CONFIG_PROPERTY + ":" + ConfigLoader.EMBEDDED_DEFAULT + "}") String location)
            throws ConfigException {
        return ConfigLoader.load(location);
    }

    @Singleton
    @Bean(preDestroy = "close")
    Journal journal(ApplianceConfig config) {
        return new Journal(config.journal().directory());
    }

    @Singleton
    ZoneService zoneService(ZonePublisher publisher, Journal journal) {
        return new ZoneService(publisher, journal, Clock.systemUTC());
    }
}
