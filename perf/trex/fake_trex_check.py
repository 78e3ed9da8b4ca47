#!/usr/bin/python3
"""Loads the TRex wrappers against a stand-in for TRex's STL API (TRex cannot run here) and prints the streams
they build: name, rate, packet length and field-engine instructions. Used by the Isthmus tests to keep the thin
wrappers working; on a TRex box use `start -f` instead.
Usage: fake_trex_check.py WRAPPER.py [WRAPPER.py ...]
"""
import importlib.util
import os
import sys
import types


class _Recorder(object):
    def __init__(self, *args, **kwargs):
        self.args, self.kwargs = args, kwargs


def _install_fake():
    api = types.ModuleType("trex.stl.api")
    for name in ("STLFlowLatencyStats", "STLFlowStats", "STLPktBuilder", "STLScVmRaw", "STLStream", "STLTXCont",
                 "STLTXSingleBurst", "STLVmFixChecksumHw", "STLVmFixIpv4", "STLVmFlowVar", "STLVmWrFlowVar"):
        setattr(api, name, type(name, (_Recorder,), {}))
    builder = types.ModuleType("trex.stl.trex_stl_packet_builder_scapy")
    builder.CTRexVmInsFixHwCs = type("CTRexVmInsFixHwCs", (), {"L4_TYPE_UDP": 11})
    sys.modules.update({"trex": types.ModuleType("trex"), "trex.stl": types.ModuleType("trex.stl"),
                        "trex.stl.api": api, "trex.stl.trex_stl_packet_builder_scapy": builder})


def main():
    _install_fake()
    for path in sys.argv[1:]:
        spec = importlib.util.spec_from_file_location(os.path.basename(path)[:-3], path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        streams = module.register().get_streams([])
        for s in streams:
            mode = s.kwargs["mode"]
            pkt = s.kwargs["packet"].kwargs
            vm = [type(i).__name__ for i in pkt["vm"].args[0]]
            print("%s %s %s %d bytes vm=%s stats=%s" % (os.path.basename(path), s.kwargs["name"],
                  ",".join("%s=%g" % kv for kv in sorted(mode.kwargs.items())), len(pkt["pkt"]), "+".join(vm),
                  type(s.kwargs["flow_stats"]).__name__ if s.kwargs["flow_stats"] is not None else "-"))


if __name__ == "__main__":
    main()
