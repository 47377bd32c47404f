"""A copy of the source tree for tests that build it (scaffold_build, autogen).

What git knows of the tree, tracked or not but not ignored, so that no build
directory of the developer's rides along; all of it but build directories
when the tree is not a git checkout (an unpacked release).
"""
import os
import shutil
import subprocess


def copy_tree(source_root, dest):
    files = subprocess.run(['git', 'ls-files', '-co', '--exclude-standard'], cwd=source_root,
                           capture_output=True, text=True)
    if files.returncode != 0:
        shutil.copytree(source_root, dest, ignore=shutil.ignore_patterns(
            'build', 'build-*', '.git', '__pycache__'))
        return
    for rel in filter(None, files.stdout.split('\n')):
        if os.path.isfile(os.path.join(source_root, rel)):
            os.makedirs(os.path.dirname(os.path.join(dest, rel)), exist_ok=True)
            shutil.copy2(os.path.join(source_root, rel), os.path.join(dest, rel))
