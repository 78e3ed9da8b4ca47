"""TRex STL profile: the DNS query mix of the sample zone (perf/profiles/dns-mix.yml), as ./isthmus gen sends it.
    start -f perf/trex/dns_mix.py -m 1 --port 0           # the profile's 100 kpps; -m 10 for ten times that
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from isthmus_stl import IsthmusProfile  # noqa: E402


def register():
    return IsthmusProfile(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "profiles", "dns-mix.yml"))
