"""Package discovery, the one part of the build pyproject.toml cannot express.

Every package under condense_tui/ is found automatically (a new subpackage needs no listing), and
presets/, which sits at the top level of the repository, is added as condense_tui.presets (its
directory is mapped in pyproject.toml's [tool.setuptools.package-dir]). `packages.find` in
pyproject.toml cannot add a remapped package to what it finds. Everything else is in pyproject.toml.
"""

from setuptools import find_packages, setup

setup(packages=[*find_packages(include=["condense_tui", "condense_tui.*"]), "condense_tui.presets"])
