"""What the dist checks read of a shared object (a wheel's extension, an npm addon), through
pyelftools: its machine, the libraries and symbol versions it needs, its sections, its loader."""

import dataclasses
import io
import re
from typing import List, Optional, Set, Tuple

from elftools.elf.dynamic import DynamicSection
from elftools.elf.elffile import ELFFile
from elftools.elf.gnuversions import GNUVerNeedSection

MACHINES = {"EM_X86_64": "x86_64", "EM_AARCH64": "aarch64"}


@dataclasses.dataclass
class SharedObject:
    """The facts of one ELF file that the checks assert on."""

    kind: str  # e_type: "ET_DYN" for a shared object
    machine: str  # "x86_64", "aarch64", or the e_machine name
    needed: List[str]  # DT_NEEDED, in order
    versions: Set[str]  # every version it needs from .gnu.version_r ("GLIBC_2.17", ...)
    sections: Set[str]
    interpreter: Optional[str]  # PT_INTERP, if any

    def glibc_versions(self) -> List[Tuple[int, ...]]:
        """The `GLIBC_x.y[.z]` versions it needs, as sorted tuples."""
        found = (v[6:] for v in self.versions if re.fullmatch(r"GLIBC_[\d.]+", v))
        return sorted(tuple(int(n) for n in v.split(".")) for v in found)


def read(data: bytes) -> SharedObject:
    """Reads an ELF file's facts; raises pyelftools' ELFError if it is not one."""
    elf = ELFFile(io.BytesIO(data))
    needed: List[str] = []
    versions: Set[str] = set()
    for section in elf.iter_sections():
        if isinstance(section, DynamicSection):
            needed += [tag.needed for tag in section.iter_tags() if tag.entry.d_tag == "DT_NEEDED"]
        elif isinstance(section, GNUVerNeedSection):
            versions |= {aux.name for _, auxes in section.iter_versions() for aux in auxes}
    interpreter = next((s.get_interp_name() for s in elf.iter_segments() if s["p_type"] == "PT_INTERP"), None)
    return SharedObject(
        kind=elf["e_type"],
        machine=MACHINES.get(elf["e_machine"], elf["e_machine"]),
        needed=needed,
        versions=versions,
        sections={s.name for s in elf.iter_sections()},
        interpreter=interpreter,
    )
