namespace AiGateway.Samples.Console;

/// <summary>What the sample does: chat (the default), <c>embed</c> or <c>manage</c>.</summary>
internal enum Verb
{
    Chat,
    Embed,
    Manage,
}
