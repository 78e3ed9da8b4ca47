/**
 * The appliance's exception path and the order of every lcore's stages around the network functions
 * ({@link dev.isthmus.dataplane.exception.StageOrder}, the one place that order is written).
 *
 * <p>What the data plane does not answer itself but is addressed to the appliance — DNS over TCP (a client's retry
 * after a truncated answer, RFC 7766 §5), other TCP/UDP ports, ICMP errors, ARP replies and neighbour
 * advertisements for the appliance — is punted to a kernel that owns the appliance's addresses, where the network
 * functions' kernel-socket services (for DNS, {@code dev.isthmus.dns.transport}) answer.
 *
 * <p>That kernel cannot be the host's own network stack: a host owning 198.18.0.53 delivers its own queries to
 * 198.18.0.53 locally instead of sending them to the data plane, and would answer ARP for it on the client side.
 * So the kernel side lives in a network namespace ({@link dev.isthmus.dataplane.exception.KernelSide}):
 * <pre>
 *  client ── uplink port (net_tap / NIC) ── data plane ── exception port (net_af_packet) ══ veth ══ namespace
 *                                            │                                                     kernel: .53, ::53,
 *                                            └─ UDP/53 answered here                               same MAC, TCP/53
 * </pre>
 * <ul>
 *   <li>The dataplane's punt port ({@code DataplaneConfig.puntPort}) is a {@code net_af_packet} port on one end of a
 *       veth pair; the other end is in the namespace, with the appliance's MAC and addresses (no DAD, no RA).</li>
 *   <li>Inbound, {@link dev.isthmus.dataplane.exception.ExceptionStage} punts the frame unchanged: its destination MAC
 *       is already the kernel side's. Outbound, {@link dev.isthmus.dataplane.exception.ExceptionReturnStage} sends
 *       every frame the kernel emits out of the uplink unchanged: its source MAC and address are already the
 *       appliance's.</li>
 *   <li>The data plane keeps answering ARP, ICMP echo and neighbour solicitations itself ({@code HostStage}); the
 *       kernel side resolves its own peers through the replies punted to it.</li>
 *   <li>The services' sockets are bound inside the namespace by a thread that entered it
 *       ({@code NetworkNamespace.call}), in the appliance's own JVM, so DNS over TCP serves the very catalog the
 *       lcores do and a zone changed over REST changes both at once.</li>
 * </ul>
 * A TAP or virtio-user exception port moved into the namespace could do the same, but DPDK's net_tap manages its
 * interface by name through ioctls in the process's namespace (link up/down, MTU), which would no longer find it
 * once moved (not tried); the veth keeps everything DPDK touches in the host namespace. The namespace's veth end
 * computes its checksums in software ({@code ethtool -K ... tx off}): with the veth's offload its frames would reach
 * the packet socket with checksums left for hardware that is not there. Without an exception port, punted packets
 * are dropped and counted as {@code NO_PUNT_PATH}, and TCP/53 is not served.
 */
package dev.isthmus.dataplane.exception;
