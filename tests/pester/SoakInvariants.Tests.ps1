# The soak's own checks (tests/soak/SoakInvariants.Tests.ps1) run with the Pester suite: each
# invariant must be able to fail before its "held" in Soak.Tests.ps1 means anything.
. (Join-Path (Split-Path $PSScriptRoot) 'soak/SoakInvariants.Tests.ps1')
