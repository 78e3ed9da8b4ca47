/**
 * The appliance configuration: one YAML file (ports, lcores, mempool, EAL, zones, REST listen address, journal)
 * read by {@link dev.isthmus.control.config.ConfigLoader} into immutable records. Unknown keys and bad values are
 * errors naming file, line and key; nothing starts on an invalid file.
 *
 * <p>One model per concern: EAL and the mbuf pool are the data plane's own records ({@code EalConfig},
 * {@code MempoolConfig}); the appliance's ports ({@link dev.isthmus.control.config.AppliancePort}: prefixes, the TAP's
 * kernel side) and lcore layout ({@link dev.isthmus.control.config.LcoreLayout}: I/O lcores and workers) become the
 * data plane's ports and lcores through {@link dev.isthmus.control.config.DataplanePlan}. Whatever the data plane or
 * the vswitch would refuse at start is refused here first, at its line ({@link
 * dev.isthmus.control.config.StartChecks}).
 *
 * <p>This package is the bottom of control-api: plain records and their readers (the API tokens file among them).
 * It depends on no other package of the module but {@code error} and {@code vswitch.view}; the services depend on it.
 */
package dev.isthmus.control.config;
