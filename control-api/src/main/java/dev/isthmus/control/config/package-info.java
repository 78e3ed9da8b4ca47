/**
 * The appliance configuration: one YAML file (ports, lcores, mempool, EAL, zones, REST listen address, journal)
 * read by {@link dev.isthmus.control.config.ConfigLoader} into immutable records. Unknown keys and bad values are
 * errors naming file, line and key; nothing starts on an invalid file.
 */
package dev.isthmus.control.config;
