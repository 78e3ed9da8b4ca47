"""TRex STL profile: VxLAN-encapsulated UDP towards the vswitch (perf/profiles/vxlan.yml), as ./isthmus gen sends it.
    start -f perf/trex/vxlan.py -m 1 --port 0
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from isthmus_stl import IsthmusProfile  # noqa: E402


def register():
    return IsthmusProfile(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "profiles", "vxlan.yml"))
