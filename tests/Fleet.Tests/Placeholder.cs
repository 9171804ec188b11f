namespace Actors.Fleet.Tests;
